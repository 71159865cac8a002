/**
 * Case states and the only transitions allowed between them, written as data so that the
 * repository, the workflow and the tests read the same table.
 */
export const CASE_STATUSES = [
  'submitted', // 已提交: filed, not yet picked up by the workflow
  'triage', // 研判: waiting for the office to decide level and unit
  'assigned', // 已交办: handed to a unit, waiting for it to accept
  'accepted', // 已受理
  'in_progress', // 办理中
  'resolved', // 已办结: waiting for the enterprise's survey
  'closed', // 已销号
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Every action that changes a case's status, with the statuses it may start from and the one it leads to. */
export const CASE_ACTIONS = {
  startTriage: { from: ['submitted'], to: 'triage' },
  assign: { from: ['triage'], to: 'assigned' },
  solveOnSpot: { from: ['triage'], to: 'resolved' },
  returnCase: { from: ['assigned'], to: 'triage' },
  accept: { from: ['assigned'], to: 'accepted' },
  reportProgress: { from: ['accepted', 'in_progress'], to: 'in_progress' },
  resolve: { from: ['accepted', 'in_progress'], to: 'resolved' },
  reopen: { from: ['resolved'], to: 'assigned' },
  // A case solved on the spot has no unit to go back to: its office triages it again.
  reopenForTriage: { from: ['resolved'], to: 'triage' },
  close: { from: ['resolved'], to: 'closed' },
} as const satisfies Record<string, { from: readonly CaseStatus[]; to: CaseStatus }>;
export type CaseAction = keyof typeof CASE_ACTIONS;

/** The transition table derived from the actions: status → statuses it may move to. */
export const CASE_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = (() => {
  const table = Object.fromEntries(CASE_STATUSES.map((s) => [s, [] as CaseStatus[]])) as Record<
    CaseStatus,
    CaseStatus[]
  >;
  for (const { from, to } of Object.values(CASE_ACTIONS)) {
    for (const status of from) if (!table[status].includes(to)) table[status].push(to);
  }
  return table;
})();

/** Every status a case can still leave: the ones the workflow waits in. */
export const OPEN_STATUSES: readonly CaseStatus[] = CASE_STATUSES.filter((s) => !isTerminal(s));

/** The statuses in which a unit holds the case and its clocks run. */
export const WITH_UNIT_STATUSES: readonly CaseStatus[] = ['assigned', 'accepted', 'in_progress'];

export function canApply(action: CaseAction, status: CaseStatus): boolean {
  return (CASE_ACTIONS[action].from as readonly CaseStatus[]).includes(status);
}

export function isTerminal(status: CaseStatus): boolean {
  return CASE_TRANSITIONS[status].length === 0;
}

/** Handling levels (办理层级) from the campaign's four-tier mechanism, plus solved on the spot. */
export const LEVELS = [
  'on_spot', // 现场解决
  'department', // 个性问题一企一策: a functional department
  'task_force', // 复杂问题专班推进: one of the special task forces
  'government', // 重大问题政府研判: county government deliberation
  'leader', // 特殊问题领导示范: a named leader
] as const;
export type Level = (typeof LEVELS)[number];

/** Levels whose problems count as major or complex and get the long resolution deadline. */
export const MAJOR_LEVELS: readonly Level[] = ['task_force', 'government', 'leader'];

export const CHANNELS = ['web', 'visit', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];
