import {
  breakDown,
  type CaseFacts,
  caseFacts,
  DIMENSIONS,
  type Figures,
  figuresOf,
} from '../domain/statistics';
import { indexKeysOf } from '../store/case-repository';
import type { Services } from './services';

/** A figure that reads differently from the index than from the cases. */
export interface FigureDifference {
  /** `totals`, or a dimension and its value: `unit=power-supply`. */
  group: string;
  figure: keyof Figures;
  indexed: number | null;
  recomputed: number | null;
}

export interface RebuildReport {
  /** Cases walked. */
  cases: number;
  /** Cases stored with index keys other than those derived from them (written by an earlier version). */
  stale: { id: string; caseNo: string; keys: string[] }[];
  /** Stale cases written again with their keys (with `fix`). */
  fixed: number;
  /** Every figure that differs, after the fix when there was one. */
  differences: FigureDifference[];
}

function compare(group: string, indexed: Figures, recomputed: Figures): FigureDifference[] {
  return (Object.keys(recomputed) as (keyof Figures)[])
    .filter((figure) => indexed[figure] !== recomputed[figure])
    .map((figure) => ({ group, figure, indexed: indexed[figure], recomputed: recomputed[figure] }));
}

/** Every figure of two sets of facts side by side: in total and by every value of every dimension. */
export function figureDifferences(indexed: CaseFacts[], recomputed: CaseFacts[]): FigureDifference[] {
  const differences = compare('totals', figuresOf(indexed), figuresOf(recomputed));
  for (const dimension of DIMENSIONS) {
    const a = new Map(breakDown(indexed, dimension).map((g) => [g.key, g.figures]));
    const b = new Map(breakDown(recomputed, dimension).map((g) => [g.key, g.figures]));
    for (const key of new Set([...a.keys(), ...b.keys()])) {
      const empty = figuresOf([]);
      differences.push(...compare(`${dimension}=${key}`, a.get(key) ?? empty, b.get(key) ?? empty));
    }
  }
  return differences;
}

/**
 * Recomputes the figures from the cases and compares them with what the ledger index gives.
 * 1. Walk every case through the status partitions (Query), deriving its facts and its index keys.
 * 2. Report each case stored with other index keys; with `fix`, write it again with its own keys
 *    (conditionally: a case changed meanwhile was re-keyed by that write).
 * 3. Read every case through the filing index, as the figures do, and report every figure that differs.
 */
export async function rebuildFigures(
  services: Pick<Services, 'cases' | 'calendar'>,
  options: { fix?: boolean } = {},
): Promise<RebuildReport> {
  const recomputed: CaseFacts[] = [];
  const stale: RebuildReport['stale'] = [];
  let fixed = 0;
  for await (const { record, indexKeys } of services.cases.walk()) {
    recomputed.push(caseFacts(record, services.calendar));
    const expected = indexKeysOf(record);
    const names = [...new Set([...Object.keys(expected), ...Object.keys(indexKeys)])].sort();
    const wrong = names.filter((name) => expected[name] !== indexKeys[name]);
    if (!wrong.length) continue;
    stale.push({ id: record.id, caseNo: record.caseNo, keys: wrong });
    if (options.fix && (await services.cases.reindex(record))) fixed += 1;
  }
  const indexed: CaseFacts[] = [];
  for await (const record of services.cases.searchAll({})) indexed.push(caseFacts(record, services.calendar));
  return { cases: recomputed.length, stale, fixed, differences: figureDifferences(indexed, recomputed) };
}
