import type { CaseRecord } from '../domain/case';
import { WITH_UNIT_STATUSES } from '../domain/case-state';
import { NOT_RATED } from '../domain/survey-outcome';
import type { Page, PageRequest } from '../store/case-repository';
import { type LedgerFilter, listCases } from './case-list';
import type { Services } from './services';

/**
 * The office's boards (看板): each a ledger query (a Query of the narrowest index, never a Scan)
 * and, where the ledger has no filter for it, a test on each case.
 */
export const BOARDS = {
  /** 在办: held by a unit (assigned, accepted, in progress). */
  in_progress: { filter: { status: 'open' }, keep: (r: CaseRecord) => WITH_UNIT_STATUSES.includes(r.status) },
  /** 临期 (黄牌): a running deadline has reached its yellow warning. */
  due_soon: {
    filter: { status: 'open' },
    keep: (r: CaseRecord) => r.clocks.some((c) => !c.metAt && c.grade === 'yellow'),
  },
  /** 超期 (红牌). */
  overdue: { filter: { flag: 'overdue' } },
  /** 已升级督办. */
  escalated: { filter: { flag: 'escalated' } },
  /** 回头看: reopened after a negative survey. */
  reopened: { filter: { flag: 'reopened' } },
  /** 待回访: resolved, the enterprise has not answered the survey yet (电话回访 goes here). */
  awaiting_survey: { filter: { status: 'resolved' } },
  /** 未评价: closed because the survey window passed unanswered. */
  not_rated: { filter: { status: 'closed' }, keep: (r: CaseRecord) => r.rating === NOT_RATED },
} as const satisfies Record<string, { filter: LedgerFilter; keep?: (r: CaseRecord) => boolean }>;

export type BoardId = keyof typeof BOARDS;
export const BOARD_IDS = Object.keys(BOARDS) as BoardId[];

/** What a board can be narrowed by: the ledger's unit, township, category and level filters. */
export type BoardFilter = Pick<LedgerFilter, 'unitId' | 'township' | 'category' | 'level'>;

function boardQuery(board: BoardId, filter: BoardFilter): LedgerFilter {
  return { ...BOARDS[board].filter, ...filter };
}

function keeps(board: BoardId): (r: CaseRecord) => boolean {
  const definition = BOARDS[board] as { keep?: (r: CaseRecord) => boolean };
  return definition.keep ?? (() => true);
}

/** One page of a board, oldest first. A page holds at least `limit` cases unless it is the last. */
export async function boardPage(
  services: Pick<Services, 'cases'>,
  board: BoardId,
  filter: BoardFilter,
  page: PageRequest = {},
): Promise<Page<CaseRecord>> {
  const limit = page.limit ?? 50;
  const keep = keeps(board);
  const items: CaseRecord[] = [];
  let cursor = page.cursor;
  do {
    const result = await listCases(services, boardQuery(board, filter), {
      limit,
      ...(cursor ? { cursor } : {}),
    });
    items.push(...result.items.filter(keep));
    cursor = result.cursor;
  } while (cursor && items.length < limit);
  return { items, ...(cursor ? { cursor } : {}) };
}

/** How many cases a board holds under the filter (every page of its query). */
export async function boardCount(
  services: Pick<Services, 'cases'>,
  board: BoardId,
  filter: BoardFilter,
): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await boardPage(services, board, filter, { limit: 200, ...(cursor ? { cursor } : {}) });
    count += page.items.length;
    cursor = page.cursor;
  } while (cursor);
  return count;
}

/** 在办 by unit: how many cases each unit holds now, with how many of them are overdue. */
export async function inProgressByUnit(
  services: Pick<Services, 'cases'>,
  filter: BoardFilter,
): Promise<{ unitId: string; count: number; overdue: number }[]> {
  const byUnit = new Map<string, { count: number; overdue: number }>();
  let cursor: string | undefined;
  do {
    const page = await boardPage(services, 'in_progress', filter, {
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    for (const record of page.items) {
      const row = byUnit.get(record.unitId ?? '') ?? { count: 0, overdue: 0 };
      row.count += 1;
      if (record.flags.overdue) row.overdue += 1;
      byUnit.set(record.unitId ?? '', row);
    }
    cursor = page.cursor;
  } while (cursor);
  return [...byUnit.entries()]
    .map(([unitId, row]) => ({ unitId, ...row }))
    .sort((a, b) => b.count - a.count || a.unitId.localeCompare(b.unitId));
}
