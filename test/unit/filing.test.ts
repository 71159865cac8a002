import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/config';
import { filingSchema, normaliseMobile, validate } from '../../shared/domain/filing';
import { validFiling, withField } from '../support/fixtures';

const schema = filingSchema(parseConfig({}));

describe('filing schema', () => {
  it('accepts a complete filing and normalises what people type', () => {
    const filing = validFiling();
    filing.enterprise.creditCode = ' 91350100m000100y43 ';
    filing.contact.mobile = '+86 138-1234-5678';
    const result = validate(schema, filing);
    expect(result.ok && result.value.enterprise.creditCode).toBe('91350100M000100Y43');
    expect(result.ok && result.value.contact.mobile).toBe('13812345678');
  });

  it.each([
    ['enterprise.creditCode', '91350100M000100Y44', 'credit_code_check'],
    ['enterprise.creditCode', '9135', 'credit_code_length'],
    ['enterprise.creditCode', '91350100O000100Y43', 'credit_code_character'],
    ['enterprise.township', 'atlantis', 'not_in_list'],
    ['contact.mobile', '12345678901', 'mobile'],
    ['category', 'weather', 'not_in_list'],
    ['title', 'x'.repeat(81), 'too_long'],
    ['description', '太短', 'too_short'],
    ['enterprise.name', '   ', 'required'],
    ['enterprise.name', 'x', 'too_short'],
  ])('reports %s = %j with code %s', (field, value, code) => {
    const filing = withField(validFiling(), field, value);
    const result = validate(schema, filing);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([expect.objectContaining({ field, code })]);
  });

  it('says "required" for a missing field and names the wrong type of a present one', () => {
    const { contact, ...rest } = validFiling();
    const result = validate(schema, { ...rest, enterprise: { ...rest.enterprise, name: 42 } });
    expect(!result.ok && result.errors).toEqual([
      expect.objectContaining({ field: 'enterprise.name', code: 'invalid_type' }),
      expect.objectContaining({ field: 'contact', code: 'required' }),
    ]);
  });

  it('wants the cadre named when the problem came from a visit', () => {
    const result = validate(schema, { ...validFiling(), channel: 'visit' });
    expect(!result.ok && result.errors).toEqual([
      expect.objectContaining({ field: 'cadre', code: 'cadre_required' }),
    ]);
    expect(validate(schema, { ...validFiling(), channel: 'visit', cadre: { name: '李干部' } }).ok).toBe(true);
  });

  it('takes its lists and limits from the configuration', () => {
    const custom = filingSchema(
      parseConfig({
        townships: [{ id: 'north', zh: '北镇', en: 'North' }],
        limits: { titleMax: 10, descriptionMin: 1, descriptionMax: 20, bodyMaxBytes: 1000 },
      }),
    );
    expect(validate(custom, validFiling()).ok).toBe(false);
    const filing = { ...validFiling(), title: '短标题', description: '够了' };
    filing.enterprise.township = 'north';
    expect(validate(custom, filing).ok).toBe(true);
  });

  it('normalises mobile numbers without inventing digits', () => {
    expect(normaliseMobile('138 1234 5678')).toBe('13812345678');
    expect(normaliseMobile('+8613812345678')).toBe('13812345678');
    expect(normaliseMobile('8613812345678')).toBe('13812345678');
    expect(normaliseMobile('86123')).toBe('86123');
  });
});
