import { describe, expect, it } from 'vitest';
import {
  CREDIT_CODE_ALPHABET,
  checkCreditCode,
  creditCodeCheckCharacter,
  describeCreditCodeProblem,
  normaliseCreditCode,
} from '../../shared/domain/credit-code';

// Codes of real enterprises, as printed on their business licences.
const REAL_CODES = [
  '91350100M000100Y43', // the example of GB 32100-2015 itself
  '91330100716105852F', // Alibaba (China) Co., Ltd.
  '9144030071526726XG', // Shenzhen Tencent Computer Systems Co., Ltd.
  '914403001922038216', // Huawei Technologies Co., Ltd.
  '91110000802100433B', // Beijing Baidu Netcom Science and Technology Co., Ltd.
  '91110108551385082Q', // Beijing Xiaomi Technology Co., Ltd.
];

describe('unified social credit code (GB 32100-2015)', () => {
  it.each(REAL_CODES)('accepts the real code %s', (code) => {
    expect(checkCreditCode(code)).toBeUndefined();
  });

  it.each(REAL_CODES)('computes the check character of %s', (code) => {
    expect(creditCodeCheckCharacter(code.slice(0, 17))).toBe(code.charAt(17));
  });

  it('accepts a code whose check character is 0 (the weighted sum is a multiple of 31)', () => {
    // 31 − (sum mod 31) is 31 here: only the second "mod 31" turns it into 0.
    const code = '91350100M000100220';

    expect(creditCodeCheckCharacter(code.slice(0, 17))).toBe('0');
    expect(checkCreditCode(code)).toBeUndefined();
    expect(checkCreditCode(`${code.slice(0, 17)}1`)).toEqual({ kind: 'check', expected: '0', actual: '1' });
  });

  it('rejects every wrong check character of a real code, naming the right one', () => {
    const code = REAL_CODES[0]!;
    const wrong = [...CREDIT_CODE_ALPHABET].filter((c) => c !== code.charAt(17));
    expect(wrong).toHaveLength(30);
    for (const character of wrong) {
      expect(checkCreditCode(code.slice(0, 17) + character)).toEqual({
        kind: 'check',
        expected: '3',
        actual: character,
      });
    }
  });

  it('detects a single mistyped character anywhere in the body', () => {
    const code = REAL_CODES[1]!;
    for (let position = 0; position < 17; position++) {
      const original = code.charAt(position);
      const replacement = original === '1' ? '2' : '1';
      const typo = code.slice(0, position) + replacement + code.slice(position + 1);
      expect(checkCreditCode(typo)?.kind).toBe('check');
    }
  });

  it('detects two swapped neighbouring characters', () => {
    const code = REAL_CODES[2]!;
    const swapped = `${code.slice(0, 3)}${code.charAt(4)}${code.charAt(3)}${code.slice(5)}`;
    expect(checkCreditCode(swapped)?.kind).toBe('check');
  });

  it.each([
    ['', 0],
    ['91350100M000100Y4', 17],
    ['91350100M000100Y433', 19],
  ])('rejects %j for its length', (code, length) => {
    expect(checkCreditCode(code)).toEqual({ kind: 'length', length });
  });

  it.each(['I', 'O', 'S', 'V', 'Z', 'a', '-', '中'])(
    'rejects the character %s, naming its position',
    (character) => {
      const code = `9135${character}100M000100Y43`.slice(0, 18);
      expect(checkCreditCode(code)).toEqual({ kind: 'character', position: 5, character });
    },
  );

  it('normalises blanks and lower case before checking', () => {
    expect(normaliseCreditCode('  91350100m000100y43 ')).toBe('91350100M000100Y43');
  });

  it('explains each problem in words a person can act on', () => {
    expect(describeCreditCodeProblem({ kind: 'check', expected: '3', actual: '4' })).toMatch(
      /check character.*3.*not 4/,
    );
    expect(describeCreditCodeProblem({ kind: 'length', length: 17 })).toMatch(/18 characters.*17/);
    expect(describeCreditCodeProblem({ kind: 'character', position: 5, character: 'O' })).toMatch(
      /character 5 \("O"\)/,
    );
  });
});
