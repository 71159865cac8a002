import { describe, expect, it } from 'vitest';
import { type Category, DEFAULT_CATEGORIES, DEFAULT_UNITS } from '../../shared/config/catalog';
import { LEVELS, MAJOR_LEVELS } from '../../shared/domain/case-state';
import { isMajor, suggestTriage } from '../../shared/domain/routing';

describe('suggestTriage', () => {
  it.each(DEFAULT_CATEGORIES.map((category) => [category.id, category] as const))(
    'routes the default category %s as configured',
    (id, category) => {
      // Act
      const suggestion = suggestTriage(DEFAULT_CATEGORIES, id);

      // Assess
      expect(suggestion).toStrictEqual(category.route);
      if (suggestion.unitId !== undefined) {
        const unit = DEFAULT_UNITS.find((u) => u.id === suggestion.unitId);
        expect(unit?.kind).toBe(suggestion.level);
      }
    },
  );

  it('suggests the department level and no unit for an unknown category', () => {
    // Act
    const suggestion = suggestTriage(DEFAULT_CATEGORIES, 'no-such-category');

    // Assess
    expect(suggestion).toStrictEqual({ level: 'department' });
    expect('unitId' in suggestion).toBe(false);
  });

  it('follows a configured catalogue rather than the default one', () => {
    // Prepare
    const categories: Category[] = [
      { id: 'land', zh: '用地', en: 'Land', route: { level: 'government', unitId: 'county-government' } },
    ];

    // Act
    const suggestion = suggestTriage(categories, 'land');

    // Assess
    expect(suggestion).toStrictEqual({ level: 'government', unitId: 'county-government' });
  });

  it('returns a copy the caller may change without changing the catalogue', () => {
    // Prepare
    const categories: Category[] = [{ id: 'tax', zh: '税务', en: 'Tax', route: { level: 'department' } }];

    // Act
    const suggestion = suggestTriage(categories, 'tax');
    suggestion.unitId = 'approvals';

    // Assess
    expect(categories[0]?.route).toStrictEqual({ level: 'department' });
  });
});

describe('isMajor', () => {
  it.each([
    ['on_spot', false],
    ['department', false],
    ['task_force', true],
    ['government', true],
    ['leader', true],
  ] as const)('says %s is major: %s', (level, expected) => {
    // Act
    const major = isMajor(level);

    // Assess
    expect(major).toBe(expected);
  });

  it('agrees with MAJOR_LEVELS on every level', () => {
    // Act
    const major = LEVELS.filter(isMajor);

    // Assess
    expect(major).toStrictEqual([...MAJOR_LEVELS]);
  });
});
