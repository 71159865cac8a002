import type { Label } from '../config/catalog';
import { LEVEL_LABELS } from '../config/catalog';
import { chinaDate } from '../domain/china-time';
import {
  breakDown,
  type CaseFacts,
  caseFacts,
  DIMENSIONS,
  type Dimension,
  type Figures,
  figuresOf,
  type Group,
  type Period,
  periodOf,
  rankUnits,
  type UnitRank,
} from '../domain/statistics';
import { type LedgerFilter, ledgerQuery } from './case-list';
import { ValidationError } from './errors';
import type { Services } from './services';

/** The figures' filters: the ledger's, and a named period instead of the filing dates. */
export interface FiguresFilter extends Omit<LedgerFilter, 'q' | 'order'> {
  /** 2026-11, 2026-Q4, 2026 or 2026-W48; default: the current year (China time) to date. */
  period?: string;
}

export interface LabelledGroup extends Group {
  label: Label;
}

export interface FiguresReport {
  period: Period;
  totals: Figures;
  breakdowns: Record<Dimension, LabelledGroup[]>;
  ranking: (UnitRank & { label: Label })[];
}

/** The period a figures filter names: a named period, the filing dates given, or this year so far. */
export function periodOfFilter(filter: FiguresFilter, now: Date): Period {
  if (filter.period) {
    if (filter.filedFrom || filter.filedTo) {
      throw new ValidationError([
        { field: 'period', code: 'conflict', message: 'give a period or filing dates, not both' },
      ]);
    }
    const period = periodOf(filter.period);
    if (!period) {
      throw new ValidationError([
        { field: 'period', code: 'invalid', message: 'is not a month, quarter, year or ISO week' },
      ]);
    }
    return period;
  }
  const today = chinaDate(now);
  return { from: filter.filedFrom ?? `${today.slice(0, 4)}-01-01`, to: filter.filedTo ?? today };
}

/** A figures filter as a ledger filter: a named period becomes its filing dates. */
export function filingDatesOf<F extends FiguresFilter>(filter: F, now: Date): Omit<F, 'period'> {
  const { period, ...rest } = filter;
  if (!period) return rest;
  const dates = periodOfFilter(filter, now);
  return { ...rest, filedFrom: dates.from, filedTo: dates.to };
}

/** Reads the facts of every case a filter selects, page by page, keeping only the facts. */
export async function factsOf(services: Services, filter: LedgerFilter): Promise<CaseFacts[]> {
  const facts: CaseFacts[] = [];
  for await (const record of services.cases.searchAll(ledgerQuery(filter))) {
    facts.push(caseFacts(record, services.calendar));
  }
  return facts;
}

/** The names of the values of each dimension: configured townships and categories, the units in the store. */
export async function dimensionLabels(services: Services): Promise<Record<Dimension, Map<string, Label>>> {
  const units = await services.access.listUnits();
  const unassigned = { zh: '未交办', en: 'Not assigned' };
  return {
    unit: new Map([['-', unassigned], ...units.map((u) => [u.id, { zh: u.zh, en: u.en }] as const)]),
    township: new Map(services.config.townships.map((t) => [t.id, { zh: t.zh, en: t.en }])),
    category: new Map(services.config.categories.map((c) => [c.id, { zh: c.zh, en: c.en }])),
    level: new Map<string, Label>([['-', unassigned], ...Object.entries(LEVEL_LABELS)]),
    month: new Map(),
  };
}

/** Labels a set of facts in every dimension, and ranks its units. */
export async function reportOf(
  services: Services,
  period: Period,
  facts: CaseFacts[],
): Promise<FiguresReport> {
  const labels = await dimensionLabels(services);
  const label = (dimension: Dimension, key: string): Label =>
    labels[dimension].get(key) ?? { zh: key, en: key };
  const breakdowns = Object.fromEntries(
    DIMENSIONS.map((dimension) => [
      dimension,
      breakDown(facts, dimension).map((group) => ({ ...group, label: label(dimension, group.key) })),
    ]),
  ) as Record<Dimension, LabelledGroup[]>;
  return {
    period,
    totals: figuresOf(facts),
    breakdowns,
    ranking: rankUnits(facts).map((row) => ({ ...row, label: label('unit', row.unitId) })),
  };
}

/**
 * The campaign's figures (三率) for the cases filed in a period.
 * 1. Resolve the period (a named one, the filing dates, or this year so far).
 * 2. Read the period's cases through the filing index (Query only), reducing each to its facts.
 * 3. Count, divide, break down by unit, township, category, level and month, and rank the units.
 */
export async function campaignFigures(services: Services, filter: FiguresFilter): Promise<FiguresReport> {
  const period = periodOfFilter(filter, services.clock.now());
  const { period: _named, ...ledger } = filter;
  const facts = await factsOf(services, { ...ledger, filedFrom: period.from, filedTo: period.to });
  return reportOf(services, period, facts);
}
