import type { CaseRecord } from '../domain/case';
import type { TriageDecision } from '../domain/case-rules';
import {
  explainGroup,
  type Match,
  type ProblemText,
  separatedPair,
  suggestGroups,
} from '../domain/common-problems';
import type { CommonProblemGroup } from '../store/common-problem-repository';
import type { Caller } from './access';
import { checkTriageDecision, triageCase } from './case-actions';
import { CaseConflictError, InvalidTransitionError, NotFoundError, ValidationError } from './errors';
import { newSecret } from './secrets';
import type { Services } from './services';

export interface GroupView {
  /** Absent on a suggestion, which the office has not confirmed. */
  group?: CommonProblemGroup;
  category: string;
  cases: CaseRecord[];
  matches: Match[];
  phrases: string[];
}

export interface CommonProblemsView {
  confirmed: GroupView[];
  suggested: GroupView[];
}

const textOf = (record: CaseRecord): ProblemText => ({
  id: record.id,
  caseNo: record.caseNo,
  creditCode: record.enterprise.creditCode,
  category: record.category,
  text: `${record.title}。${record.description}`,
});

/** Pairs the office separated: each case split off a group, with each case it was split from. */
function separatedPairs(groups: CommonProblemGroup[]): Set<string> {
  const pairs = new Set<string>();
  for (const group of groups) {
    for (const split of group.separated) {
      for (const other of [...group.caseIds, ...group.separated])
        if (other !== split) pairs.add(separatedPair(split, other));
    }
  }
  return pairs;
}

function phrasesOf(matches: Match[]): string[] {
  const counts = new Map<string, number>();
  for (const m of matches) for (const p of m.phrases) counts.set(p, (counts.get(p) ?? 0) + 1);
  return [...counts.keys()].sort((x, y) => counts.get(y)! - counts.get(x)! || [...y].length - [...x].length);
}

/** Why a group's cases were put together, as facts a page or a sentence can show. */
export interface GroupReason {
  /** How many enterprises the cases come from (always of one category). */
  enterprises: number;
  /** The phrases the matches share, most frequent first (at most six). */
  phrases: string[];
  /** The weakest and strongest match (Dice coefficient of bigram sets), when the group has matches. */
  scores?: { min: number; max: number };
}

export function reasonOf(view: GroupView): GroupReason {
  const scores = view.matches.map((m) => m.score);
  return {
    enterprises: new Set(view.cases.map((r) => r.enterprise.creditCode)).size,
    phrases: view.phrases.slice(0, 6),
    ...(scores.length ? { scores: { min: Math.min(...scores), max: Math.max(...scores) } } : {}),
  };
}

/**
 * 共性问题: the confirmed common problems with their cases, and new suggestions among the open cases.
 * 1. Read the open cases (Query per open status) and the confirmed groups.
 * 2. Suggest groups among the open cases that no confirmed group holds, leaving out separated pairs.
 * 3. Explain every group by the matches between its cases.
 */
export async function listCommonProblems(services: Services): Promise<CommonProblemsView> {
  const open: CaseRecord[] = [];
  for await (const record of services.cases.searchAll({ status: 'open' })) open.push(record);
  const groups = await services.commonProblems.list();
  const confirmedGroups = groups.filter((g) => g.status === 'confirmed');
  const grouped = new Set(confirmedGroups.flatMap((g) => g.caseIds));
  const byId = new Map(open.map((r) => [r.id, r]));
  const free = open.filter((r) => !grouped.has(r.id));
  const suggested = suggestGroups(free.map(textOf), { separated: separatedPairs(groups) }).map((g) => ({
    category: g.category,
    cases: g.caseIds.map((id) => byId.get(id)!),
    matches: g.matches,
    phrases: g.phrases,
  }));
  const confirmed: GroupView[] = [];
  for (const group of confirmedGroups.sort((a, b) => b.confirmedAt.localeCompare(a.confirmedAt))) {
    const cases = await Promise.all(
      group.caseIds.map(async (id) => byId.get(id) ?? (await services.cases.get(id))),
    );
    const present = cases.filter((r): r is CaseRecord => r !== undefined);
    const matches = explainGroup(present.map(textOf));
    confirmed.push({ group, category: group.category, cases: present, matches, phrases: phrasesOf(matches) });
  }
  return { confirmed, suggested };
}

/**
 * Confirms cases as one common problem.
 * 1. Read the cases: all must be open, of one category, from at least two enterprises.
 * 2. None may belong to another confirmed group.
 * 3. Store the group with one conditional write.
 */
export async function confirmCommonProblem(
  services: Services,
  input: { caseIds: string[]; note?: string },
  by: string,
): Promise<CommonProblemGroup> {
  const caseIds = [...new Set(input.caseIds)];
  const refuse = (code: string, message: string): never => {
    throw new ValidationError([{ field: 'caseIds', code, message }]);
  };
  if (caseIds.length < 2) refuse('too_few', 'a common problem needs at least two cases');
  const records = await Promise.all(caseIds.map((id) => services.cases.get(id)));
  const missing = caseIds.filter((_, i) => !records[i]);
  if (missing.length) refuse('unknown_case', `no case ${missing.join(', ')}`);
  const cases = records as CaseRecord[];
  if (cases.some((r) => r.status === 'closed')) refuse('closed', 'closed cases cannot be grouped');
  if (new Set(cases.map((r) => r.category)).size > 1)
    refuse('categories', 'the cases are of different categories');
  if (new Set(cases.map((r) => r.enterprise.creditCode)).size < 2)
    refuse('one_enterprise', 'the cases come from one enterprise; a common problem spans several');
  const groups = await services.commonProblems.list();
  const taken = groups.filter(
    (g) => g.status === 'confirmed' && g.caseIds.some((id) => caseIds.includes(id)),
  );
  if (taken.length)
    throw new InvalidTransitionError(`some cases belong to the common problem ${taken[0]!.id} already`);
  const at = services.clock.now().toISOString();
  return services.commonProblems.save({
    id: `cp-${newSecret(8)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')}`,
    category: cases[0]!.category,
    caseIds: cases.sort((a, b) => a.caseNo.localeCompare(b.caseNo)).map((r) => r.id),
    separated: [],
    status: 'confirmed',
    ...(input.note ? { note: input.note } : {}),
    confirmedAt: at,
    confirmedBy: by,
    updatedAt: at,
    version: 0,
  });
}

async function loadGroup(services: Services, id: string): Promise<CommonProblemGroup> {
  const group = (await services.commonProblems.list()).find((g) => g.id === id);
  if (group?.status !== 'confirmed') throw new NotFoundError(`no confirmed common problem ${id}`);
  return group;
}

/**
 * Splits cases off a confirmed group; they are not suggested with its members again. A group left
 * with fewer than two cases is dissolved (and kept, with what was split off).
 */
export async function splitCommonProblem(
  services: Services,
  id: string,
  caseIds: string[],
): Promise<CommonProblemGroup> {
  const group = await loadGroup(services, id);
  const strangers = caseIds.filter((c) => !group.caseIds.includes(c));
  if (!caseIds.length || strangers.length) {
    throw new ValidationError([
      {
        field: 'caseIds',
        code: 'not_in_group',
        message: strangers.length
          ? `not in the group: ${strangers.join(', ')}`
          : 'name the cases to split off',
      },
    ]);
  }
  const remaining = group.caseIds.filter((c) => !caseIds.includes(c));
  return services.commonProblems.save({
    ...group,
    caseIds: remaining,
    separated: [...new Set([...group.separated, ...caseIds])],
    status: remaining.length >= 2 ? 'confirmed' : 'dissolved',
    updatedAt: services.clock.now().toISOString(),
  });
}

export interface GroupActResult {
  caseId: string;
  caseNo: string;
  outcome: 'assigned' | 'resolved' | 'skipped';
  reason?: string;
}

/**
 * Triages every case of a confirmed group in one action: assigns them to one unit, or answers
 * them on the spot. Each case is triaged by the same rule as on its own — its own history entry
 * (naming the group), its own clocks and its own survey. Cases no longer awaiting triage are
 * reported as skipped; acting again is safe.
 */
export async function triageCommonProblem(
  services: Services,
  id: string,
  decision: Omit<TriageDecision, 'commonProblem'>,
  by: Caller,
): Promise<GroupActResult[]> {
  const group = await loadGroup(services, id);
  await checkTriageDecision(services, decision);
  const results: GroupActResult[] = [];
  for (const caseId of group.caseIds) {
    const record = await services.cases.get(caseId);
    if (!record) continue;
    if (record.status !== 'triage') {
      results.push({
        caseId,
        caseNo: record.caseNo,
        outcome: 'skipped',
        reason: `the case is ${record.status}`,
      });
      continue;
    }
    try {
      const done = await triageCase(services, caseId, { ...decision, commonProblem: id }, by);
      results.push({
        caseId,
        caseNo: record.caseNo,
        outcome: done.status === 'resolved' ? 'resolved' : 'assigned',
      });
    } catch (error) {
      // A refusal of the decision itself (an unknown unit) is the same for every case: stop at the first.
      if (!(error instanceof InvalidTransitionError || error instanceof CaseConflictError)) throw error;
      results.push({ caseId, caseNo: record.caseNo, outcome: 'skipped', reason: (error as Error).message });
    }
  }
  return results;
}
