import { creditCodeCheckCharacter } from '../../shared/domain/credit-code';

/** A valid unified social credit code (GB 32100) of the n-th test enterprise. */
export function creditCodeOf(n: number): string {
  const first17 = `91411024${String(n).padStart(8, '0')}X`;
  return first17 + creditCodeCheckCharacter(first17);
}
