/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015.
 *
 * 18 characters: registration authority (1), organisation type (1), administrative division (6),
 * organisation code (9), check character (1). The alphabet is the 31 characters below — the
 * letters I, O, S, V and Z are never used, so they cannot be confused with digits.
 */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export type CreditCodeProblem =
  | { kind: 'length'; length: number }
  | { kind: 'character'; position: number; character: string }
  | { kind: 'check'; expected: string; actual: string };

/** Computes the check character for the first 17 characters of a code. */
export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CODE_ALPHABET.indexOf(first17.charAt(i));
    if (value < 0) throw new RangeError(`not a credit code character: ${first17.charAt(i)}`);
    sum += value * WEIGHTS[i]!;
  }
  return CREDIT_CODE_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/** Normalises what a person typed: surrounding blanks removed, letters upper-cased. */
export function normaliseCreditCode(input: string): string {
  return input.trim().toUpperCase();
}

/** Returns why a (normalised) code is not valid, or `undefined` when it is. */
export function checkCreditCode(code: string): CreditCodeProblem | undefined {
  if (code.length !== 18) return { kind: 'length', length: code.length };
  for (let i = 0; i < 18; i++) {
    const character = code.charAt(i);
    if (!CREDIT_CODE_ALPHABET.includes(character)) return { kind: 'character', position: i + 1, character };
  }
  const expected = creditCodeCheckCharacter(code.slice(0, 17));
  const actual = code.charAt(17);
  return expected === actual ? undefined : { kind: 'check', expected, actual };
}

export function describeCreditCodeProblem(problem: CreditCodeProblem): string {
  switch (problem.kind) {
    case 'length':
      return `a unified social credit code has 18 characters, this one has ${problem.length}`;
    case 'character':
      return `character ${problem.position} ("${problem.character}") is not allowed in a unified social credit code (digits and capital letters except I, O, S, V, Z)`;
    case 'check':
      return `the check character (the 18th) is wrong: it should be ${problem.expected}, not ${problem.actual} — please check the code for a typing mistake`;
  }
}
