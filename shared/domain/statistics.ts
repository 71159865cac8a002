/**
 * The campaign's figures (三率 and the rest): what each case counts for, and how counts become
 * rates, written once. Pure: the cases and the calendar come in; the application reads the cases
 * of a period by the filing index and hands them here.
 *
 * Every figure is about the cases filed in the period (a cohort, by the China date of filing),
 * as they stand now.
 */
import type { WorkCalendar } from './calendar';
import type { CaseRecord, HistoryEntry } from './case';
import type { CaseStatus, Level } from './case-state';
import { chinaDate } from './china-time';
import { NOT_RATED, type SurveyAnswer } from './survey-outcome';

/** What one case counts for. */
export interface CaseFacts {
  id: string;
  caseNo: string;
  filedAt: string;
  /** YYYY-MM (China time) of filing. */
  month: string;
  status: CaseStatus;
  unitId?: string;
  township: string;
  category: string;
  level?: Level;
  triaged: boolean;
  triagedOnTime: boolean;
  /** Reached a unit at least once. */
  assigned: boolean;
  accepted: boolean;
  acceptedOnTime: boolean;
  onSpot: boolean;
  resolved: boolean;
  resolvedOnTime: boolean;
  resolvedAt?: string;
  workdaysToResolve?: number;
  closed: boolean;
  closedAt?: string;
  overdue: boolean;
  escalated: boolean;
  reopened: boolean;
  extended: boolean;
  /** The enterprise's verdict in the case's last survey round, if it answered. */
  satisfaction?: SurveyAnswer['satisfaction'];
  solved?: boolean;
  /** The last survey round passed unanswered: closed as not rated. */
  notRated: boolean;
}

const TRIAGE_DECISIONS = ['assign', 'solveOnSpot'];
const RESOLUTIONS = ['resolve', 'solveOnSpot'];

/**
 * Whether an act came by its deadline. The deadline is kept in the act's history entry; for acts
 * recorded before it was, the act was on time unless a red notice of its clock came before it.
 */
function onTime(record: CaseRecord, act: HistoryEntry, clock: string): boolean {
  const dueAt = act.data?.dueAt;
  if (typeof dueAt === 'string') return act.at <= dueAt;
  return !record.history.some(
    (h) => h.action === 'supervise:red' && h.data?.clock === clock && h.at <= act.at,
  );
}

/** Working days after the day `from` up to and including the day `to` (China dates): same day is 0. */
export function workdaysBetween(from: Date, to: Date, calendar: WorkCalendar): number {
  const last = chinaDate(to);
  let day = chinaDate(from);
  let count = 0;
  while (day < last) {
    day = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    if (calendar.isWorkday(day)) count += 1;
  }
  return count;
}

/** What a case counts for, from its history and its present state. */
export function caseFacts(record: CaseRecord, calendar: WorkCalendar): CaseFacts {
  const first = (actions: string[]) => record.history.find((h) => actions.includes(h.action));
  const last = (actions: string[]) => record.history.findLast((h) => actions.includes(h.action));
  const triage = first(TRIAGE_DECISIONS);
  const accept = first(['accept']);
  const resolution = last(RESOLUTIONS);
  const close = last(['close']);
  const resolved = record.status === 'resolved' || record.status === 'closed';
  const closed = record.status === 'closed';
  const answer = record.survey?.answer;
  const notRated = closed && record.rating === NOT_RATED;
  const rated = answer && !notRated;
  return {
    id: record.id,
    caseNo: record.caseNo,
    filedAt: record.createdAt,
    month: chinaDate(new Date(record.createdAt)).slice(0, 7),
    status: record.status,
    ...(record.unitId ? { unitId: record.unitId } : {}),
    township: record.enterprise.township,
    category: record.category,
    ...(record.level ? { level: record.level } : {}),
    triaged: triage !== undefined,
    triagedOnTime: triage !== undefined && onTime(record, triage, 'triage'),
    assigned: first(['assign']) !== undefined,
    accepted: accept !== undefined,
    acceptedOnTime: accept !== undefined && onTime(record, accept, 'accept'),
    onSpot: first(['solveOnSpot']) !== undefined,
    resolved,
    resolvedOnTime:
      resolved &&
      resolution !== undefined &&
      (resolution.action === 'solveOnSpot' || onTime(record, resolution, 'resolve')),
    ...(resolved && resolution
      ? {
          resolvedAt: resolution.at,
          workdaysToResolve: workdaysBetween(new Date(record.createdAt), new Date(resolution.at), calendar),
        }
      : {}),
    closed,
    ...(closed && close ? { closedAt: close.at } : {}),
    overdue: !closed && record.flags.overdue,
    escalated: record.flags.escalated,
    reopened: record.reopenCount > 0,
    extended: record.history.some((h) => h.action === 'extend'),
    ...(rated ? { satisfaction: answer.satisfaction, solved: answer.solved === 'yes' } : {}),
    notRated,
  };
}

/** The counts of a set of cases. */
export interface Counts {
  filed: number;
  triaged: number;
  triagedOnTime: number;
  assigned: number;
  accepted: number;
  acceptedOnTime: number;
  onSpot: number;
  resolved: number;
  resolvedOnTime: number;
  closed: number;
  open: number;
  overdue: number;
  escalated: number;
  reopened: number;
  extended: number;
  rated: number;
  satisfied: number;
  basicallySatisfied: number;
  dissatisfied: number;
  solved: number;
  notRated: number;
}

/** Rates are fractions in [0, 1], or null when nothing is there to divide by. */
export interface Rates {
  responseRate: number | null;
  onTimeRate: number | null;
  closureRate: number | null;
  satisfactionRate: number | null;
  solvedRate: number | null;
  meanWorkdaysToResolve: number | null;
  medianWorkdaysToResolve: number | null;
}

export type Figures = Counts & Rates;
export type FigureName = keyof Figures;

/** How each figure is defined: shown next to it on the pages, in the API documentation and the exports. */
export const FIGURE_DEFINITIONS: Record<
  FigureName,
  { zh: string; en: string; definition: string; zhDefinition: string }
> = {
  filed: {
    zh: '受理诉求',
    en: 'Filed',
    definition: 'cases filed in the period (China date of filing)',
    zhDefinition: '本期受理的诉求（按提交日期，北京时间）',
  },
  triaged: {
    zh: '已研判',
    en: 'Triaged',
    definition: 'the office decided a level (assigned or solved on the spot)',
    zhDefinition: '活动办已作出研判决定（交办或现场解决）',
  },
  triagedOnTime: {
    zh: '按时研判',
    en: 'Triaged on time',
    definition: "the office's first decision came within the triage deadline (1 working day)",
    zhDefinition: '活动办首次研判决定在研判时限（1 个工作日）内作出',
  },
  assigned: {
    zh: '已交办',
    en: 'Assigned',
    definition: 'handed to a unit at least once',
    zhDefinition: '至少交办过一次承办单位',
  },
  accepted: {
    zh: '已受理',
    en: 'Accepted',
    definition: 'a unit accepted it at least once',
    zhDefinition: '承办单位至少受理过一次',
  },
  acceptedOnTime: {
    zh: '按时受理',
    en: 'Accepted on time',
    definition: "the unit's first acceptance came within its 1-working-day window",
    zhDefinition: '承办单位首次受理在 1 个工作日内',
  },
  onSpot: {
    zh: '现场解决',
    en: 'Solved on the spot',
    definition: 'the office solved it at triage',
    zhDefinition: '活动办研判时现场解决',
  },
  resolved: {
    zh: '已答复',
    en: 'Answered',
    definition: 'a resolution was given (status resolved or closed, including solved on the spot)',
    zhDefinition: '已给出办结答复（状态为已办结或已销号，含现场解决）',
  },
  resolvedOnTime: {
    zh: '按时办结',
    en: 'Resolved on time',
    definition:
      'answered, and the latest resolution came by the deadline running then (7 working days, 30 for task forces, the government and leaders; moved by granted extensions); on the spot counts as on time',
    zhDefinition:
      '已答复，且最近一次答复在当时的办结期限内（7 个工作日，专班、县政府、领导包案 30 个工作日；获准延期的顺延）；现场解决算按时',
  },
  closed: {
    zh: '已销号',
    en: 'Closed',
    definition: 'closed (rated, or its survey window passed)',
    zhDefinition: '已销号（企业已评价，或回访期满未评价）',
  },
  open: { zh: '未销号', en: 'Open', definition: 'not closed yet', zhDefinition: '尚未销号' },
  overdue: {
    zh: '当前超期',
    en: 'Overdue now',
    definition: 'open and past a deadline now (red notice issued)',
    zhDefinition: '未销号且当前已超期（已发红牌督办单）',
  },
  escalated: {
    zh: '升级督办',
    en: 'Escalated',
    definition: 'brought to the supervising leader at least once',
    zhDefinition: '至少升级督办过一次',
  },
  reopened: {
    zh: '回头看重办',
    en: 'Reopened',
    definition: 'sent back after a negative survey at least once',
    zhDefinition: '因评价不满意或未解决至少被退回重办过一次',
  },
  extended: {
    zh: '获准延期',
    en: 'Extended',
    definition: 'an extension was granted at least once',
    zhDefinition: '至少获准延期一次',
  },
  rated: {
    zh: '参评',
    en: 'Rated',
    definition: 'the enterprise answered the last survey round (each case counts once, by that round)',
    zhDefinition: '企业对最后一轮回访作了评价（每件只按最后一轮计一次）',
  },
  satisfied: { zh: '满意', en: 'Satisfied', definition: 'rated 满意', zhDefinition: '评价为满意' },
  basicallySatisfied: {
    zh: '基本满意',
    en: 'Basically satisfied',
    definition: 'rated 基本满意',
    zhDefinition: '评价为基本满意',
  },
  dissatisfied: {
    zh: '不满意',
    en: 'Dissatisfied',
    definition: 'rated 不满意',
    zhDefinition: '评价为不满意',
  },
  solved: {
    zh: '已解决',
    en: 'Solved',
    definition: 'rated, and the enterprise said the problem is solved',
    zhDefinition: '已评价，且企业表示问题已解决',
  },
  notRated: {
    zh: '未评价',
    en: 'Not rated',
    definition: 'closed because the survey window passed unanswered; never counted as satisfied',
    zhDefinition: '回访期满企业未评价而销号；不计入满意',
  },
  responseRate: {
    zh: '答复率',
    en: 'Response rate',
    definition: 'answered ÷ filed',
    zhDefinition: '已答复 ÷ 受理诉求',
  },
  onTimeRate: {
    zh: '按时办结率',
    en: 'On-time rate',
    definition: 'resolved on time ÷ answered',
    zhDefinition: '按时办结 ÷ 已答复',
  },
  closureRate: {
    zh: '办结率',
    en: 'Closure rate',
    definition: 'closed ÷ filed',
    zhDefinition: '已销号 ÷ 受理诉求',
  },
  satisfactionRate: {
    zh: '满意率',
    en: 'Satisfaction rate',
    definition: '(满意 + 基本满意) ÷ rated; not rated cases are neither in the numerator nor the denominator',
    zhDefinition: '（满意 + 基本满意）÷ 参评；未评价的既不计入分子也不计入分母',
  },
  solvedRate: {
    zh: '解决率',
    en: 'Solved rate',
    definition: 'solved ÷ rated',
    zhDefinition: '已解决 ÷ 参评',
  },
  meanWorkdaysToResolve: {
    zh: '平均办理工作日',
    en: 'Mean working days to resolve',
    definition:
      'mean of the working days from the day of filing to the day of the latest resolution, answered cases',
    zhDefinition: '已答复案件从提交当日到最近一次答复当日的工作日数的平均值',
  },
  medianWorkdaysToResolve: {
    zh: '办理工作日中位数',
    en: 'Median working days to resolve',
    definition: 'median of the same working days',
    zhDefinition: '同上工作日数的中位数',
  },
};

export const COUNT_NAMES = [
  'filed',
  'triaged',
  'triagedOnTime',
  'assigned',
  'accepted',
  'acceptedOnTime',
  'onSpot',
  'resolved',
  'resolvedOnTime',
  'closed',
  'open',
  'overdue',
  'escalated',
  'reopened',
  'extended',
  'rated',
  'satisfied',
  'basicallySatisfied',
  'dissatisfied',
  'solved',
  'notRated',
] as const satisfies readonly (keyof Counts)[];

export const RATE_NAMES = [
  'responseRate',
  'onTimeRate',
  'closureRate',
  'satisfactionRate',
  'solvedRate',
  'meanWorkdaysToResolve',
  'medianWorkdaysToResolve',
] as const satisfies readonly (keyof Rates)[];

const ratio = (part: number, whole: number) => (whole ? part / whole : null);

function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The counts and rates of a set of cases. */
export function figuresOf(facts: readonly CaseFacts[]): Figures {
  const count = (pick: (f: CaseFacts) => boolean) => facts.reduce((n, f) => n + (pick(f) ? 1 : 0), 0);
  const counts: Counts = {
    filed: facts.length,
    triaged: count((f) => f.triaged),
    triagedOnTime: count((f) => f.triagedOnTime),
    assigned: count((f) => f.assigned),
    accepted: count((f) => f.accepted),
    acceptedOnTime: count((f) => f.acceptedOnTime),
    onSpot: count((f) => f.onSpot),
    resolved: count((f) => f.resolved),
    resolvedOnTime: count((f) => f.resolvedOnTime),
    closed: count((f) => f.closed),
    open: count((f) => !f.closed),
    overdue: count((f) => f.overdue),
    escalated: count((f) => f.escalated),
    reopened: count((f) => f.reopened),
    extended: count((f) => f.extended),
    rated: count((f) => f.satisfaction !== undefined),
    satisfied: count((f) => f.satisfaction === 'satisfied'),
    basicallySatisfied: count((f) => f.satisfaction === 'basically_satisfied'),
    dissatisfied: count((f) => f.satisfaction === 'dissatisfied'),
    solved: count((f) => f.solved === true),
    notRated: count((f) => f.notRated),
  };
  const days = facts.flatMap((f) => (f.workdaysToResolve === undefined ? [] : [f.workdaysToResolve]));
  return {
    ...counts,
    responseRate: ratio(counts.resolved, counts.filed),
    onTimeRate: ratio(counts.resolvedOnTime, counts.resolved),
    closureRate: ratio(counts.closed, counts.filed),
    satisfactionRate: ratio(counts.satisfied + counts.basicallySatisfied, counts.rated),
    solvedRate: ratio(counts.solved, counts.rated),
    meanWorkdaysToResolve: days.length ? days.reduce((a, b) => a + b, 0) / days.length : null,
    medianWorkdaysToResolve: median(days),
  };
}

/** The dimensions the figures break down by. */
export const DIMENSIONS = ['unit', 'township', 'category', 'level', 'month'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** The key of a case in a dimension; cases not assigned yet have no unit and no level (`-`). */
export const UNASSIGNED = '-';
function keyOf(facts: CaseFacts, dimension: Dimension): string {
  switch (dimension) {
    case 'unit':
      return facts.unitId ?? UNASSIGNED;
    case 'level':
      return facts.level ?? UNASSIGNED;
    default:
      return facts[dimension];
  }
}

export interface Group {
  key: string;
  figures: Figures;
}

/** The figures of each value of a dimension, in the order of the keys. */
export function breakDown(facts: readonly CaseFacts[], dimension: Dimension): Group[] {
  const groups = new Map<string, CaseFacts[]>();
  for (const f of facts) {
    const key = keyOf(f, dimension);
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups.keys()].sort().map((key) => ({ key, figures: figuresOf(groups.get(key)!) }));
}

export interface UnitRank {
  unitId: string;
  rank: number;
  onTimeRate: number | null;
  resolved: number;
  resolvedOnTime: number;
  satisfactionRate: number | null;
  rated: number;
  satisfiedOrBasically: number;
}

/**
 * Units ranked by on-time rate, then satisfaction rate (a rate with nothing behind it last), then
 * by more cases answered; equal figures share a rank.
 */
export function rankUnits(facts: readonly CaseFacts[]): UnitRank[] {
  const rows = breakDown(
    facts.filter((f) => f.unitId),
    'unit',
  ).map(({ key, figures }) => ({
    unitId: key,
    onTimeRate: figures.onTimeRate,
    resolved: figures.resolved,
    resolvedOnTime: figures.resolvedOnTime,
    satisfactionRate: figures.satisfactionRate,
    rated: figures.rated,
    satisfiedOrBasically: figures.satisfied + figures.basicallySatisfied,
  }));
  const score = (rate: number | null) => rate ?? -1;
  const compare = (a: (typeof rows)[number], b: (typeof rows)[number]) =>
    score(b.onTimeRate) - score(a.onTimeRate) ||
    score(b.satisfactionRate) - score(a.satisfactionRate) ||
    b.resolved - a.resolved;
  rows.sort((a, b) => compare(a, b) || a.unitId.localeCompare(b.unitId));
  return rows.map((row, i) => {
    let rank = i + 1;
    while (rank > 1 && compare(rows[rank - 2]!, row) === 0) rank -= 1;
    return { ...row, rank };
  });
}

/** A period of China dates, both included. */
export interface Period {
  from: string;
  to: string;
}

/** A month (2026-11), a quarter (2026-Q4), a year (2026) or an ISO week (2026-W48). */
export const PERIOD_PATTERN = /^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-W(0[1-9]|[1-4]\d|5[0-3]))?$/;

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const DAY = 86_400_000;

/** The dates of a named period; undefined when the name is not one (or week 53 of a year without it). */
export function periodOf(name: string): Period | undefined {
  if (!PERIOD_PATTERN.test(name)) return undefined;
  const year = Number(name.slice(0, 4));
  const end = (y: number, m: number) => isoDay(Date.UTC(y, m, 0)); // day 0 of the next month: the last day
  if (name.length === 4) return { from: `${year}-01-01`, to: `${year}-12-31` };
  const rest = name.slice(5);
  if (rest.startsWith('Q')) {
    const q = Number(rest.slice(1));
    return { from: isoDay(Date.UTC(year, (q - 1) * 3, 1)), to: end(year, q * 3) };
  }
  if (rest.startsWith('W')) {
    const week = Number(rest.slice(1));
    // ISO 8601: week 1 holds the year's first Thursday; weeks start on Monday.
    const jan4 = Date.UTC(year, 0, 4);
    const monday1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY;
    const from = monday1 + (week - 1) * 7 * DAY;
    if (week === 53 && isoWeekOf(isoDay(from)) !== name) return undefined;
    return { from: isoDay(from), to: isoDay(from + 6 * DAY) };
  }
  const month = Number(rest);
  return { from: `${name}-01`, to: end(year, month) };
}

/** The ISO week (2026-W48) a date falls in. */
export function isoWeekOf(date: string): string {
  const ms = Date.parse(`${date}T00:00:00Z`);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7; // Monday 0
  const thursday = ms + (3 - weekday) * DAY;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}
