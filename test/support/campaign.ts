import {
  answerAsUnit,
  answerCaseSurvey,
  decideCaseExtension,
  triageCase,
} from '../../shared/app/case-actions';
import { fileCase } from '../../shared/app/file-case';
import { awaitAnswer, workflowTasks } from '../../shared/app/workflow-tasks';
import type { TriageDecision } from '../../shared/domain/case-rules';
import type { SurveyAnswer } from '../../shared/domain/survey-outcome';
import { officeCaller, unitCaller } from './callers';
import { creditCodeOf } from './enterprises';
import type { TestServices } from './services';

/**
 * Cases taken through the real use cases (filing, the workflow's tasks, the office's and the
 * units' acts, the survey) with the clock set for each act, so that every case has a known story.
 */
export const SCENARIOS = [
  'satisfied',
  'basicallySatisfied',
  'resolvedLate',
  'extended',
  'reopened',
  'reopenedTwice',
  'surveyTimeout',
  'onSpot',
  'onSpotTimeout',
  'triagedLate',
  'acceptedLate',
  'openOverdue',
  'inTriage',
  'withUnit',
  'returned',
  'awaitingSurvey',
  'majorOnTime',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** What the story meant to happen, for checking the figures' definitions against it. */
export interface Intent {
  triagedOnTime?: boolean;
  acceptedOnTime?: boolean;
  resolvedOnTime?: boolean;
}

export const INTENTS: Record<Scenario, Intent> = {
  satisfied: { triagedOnTime: true, acceptedOnTime: true, resolvedOnTime: true },
  basicallySatisfied: { triagedOnTime: true, acceptedOnTime: true, resolvedOnTime: true },
  resolvedLate: { triagedOnTime: true, acceptedOnTime: true, resolvedOnTime: false },
  extended: { triagedOnTime: true, acceptedOnTime: true, resolvedOnTime: true },
  reopened: { triagedOnTime: true, acceptedOnTime: true, resolvedOnTime: true },
  reopenedTwice: { triagedOnTime: true, acceptedOnTime: true },
  surveyTimeout: { triagedOnTime: true, acceptedOnTime: true, resolvedOnTime: true },
  onSpot: { triagedOnTime: true, resolvedOnTime: true },
  onSpotTimeout: { triagedOnTime: true, resolvedOnTime: true },
  triagedLate: { triagedOnTime: false, acceptedOnTime: true, resolvedOnTime: true },
  // Its resolution deadline ran from the assignment: whether 2 days after a late acceptance is in time depends on holidays.
  acceptedLate: { triagedOnTime: true, acceptedOnTime: false },
  openOverdue: { triagedOnTime: true, acceptedOnTime: true },
  inTriage: {},
  withUnit: { triagedOnTime: true, acceptedOnTime: true },
  returned: { triagedOnTime: true, acceptedOnTime: true, resolvedOnTime: true },
  awaitingSurvey: { triagedOnTime: true, acceptedOnTime: true, resolvedOnTime: true },
  majorOnTime: { triagedOnTime: true, acceptedOnTime: true, resolvedOnTime: true },
};

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export interface StoryCase {
  id: string;
  caseNo: string;
  scenario: Scenario;
}

export interface Filing {
  n: number;
  at: string;
  township: string;
  category: string;
  name?: string;
  title?: string;
  description?: string;
  mobile?: string;
}

/** The department a category's routing rule names, or the industry bureau where it names none. */
function departmentOf(services: TestServices, category: string): string {
  const route = services.config.categories.find((c) => c.id === category)?.route;
  return (route?.level === 'department' && route.unitId) || 'industry';
}

/** Plays one story; the clock ends wherever the story's last act left it. */
export async function playStory(
  services: TestServices,
  scenario: Scenario,
  filing: Filing,
): Promise<StoryCase> {
  const t0 = Date.parse(filing.at);
  const at = (offset: number) => services.clock.set(new Date(t0 + offset));
  const office = 'zq_office_t';
  at(0);
  const { record } = await fileCase(services, {
    filing: {
      enterprise: {
        name: filing.name ?? `测试企业${filing.n}有限公司`,
        creditCode: creditCodeOf(filing.n),
        township: filing.township,
      },
      contact: { name: '王丽', mobile: filing.mobile ?? `138${String(10_000_000 + filing.n).slice(-8)}` },
      category: filing.category,
      title: filing.title ?? `企业诉求 ${filing.n}`,
      description: filing.description ?? `第 ${filing.n} 号企业反映的问题，需要协调解决。`,
    },
    defaultChannel: 'api',
    actor: { kind: 'enterprise' },
  });
  const id = record.id;
  const task = (name: keyof typeof workflowTasks | 'inviteSurvey') =>
    name === 'inviteSurvey'
      ? // The survey round opens when the workflow starts waiting for it (AwaitSurvey's storing call).
        awaitAnswer(services, {
          task: 'awaitAnswer',
          state: 'AwaitSurvey',
          caseId: id,
          token: 'campaign',
          waitSeconds: 60,
        })
      : workflowTasks[name](services, { task: name, caseId: id });
  at(60_000);
  await task('beginTriage');
  if (scenario === 'inTriage') return { id, caseNo: record.caseNo, scenario };

  const unitId = scenario === 'majorOnTime' ? 'tf-factors' : departmentOf(services, filing.category);
  const decision: TriageDecision =
    scenario === 'majorOnTime' ? { level: 'task_force', unitId } : { level: 'department', unitId };
  const unit = <A extends Parameters<typeof answerAsUnit>[3]>(
    answer: A,
    input: Parameters<typeof answerAsUnit<A>>[4],
    who = unitId,
  ) => answerAsUnit(services, id, unitCaller(who), answer, input);
  const survey = async (answer: SurveyAnswer) => {
    const token = (await services.cases.get(id))!.survey!.token;
    await answerCaseSurvey(services, token, answer);
  };

  // Triage.
  let t = 2 * HOUR;
  if (scenario === 'triagedLate') {
    t = 12 * DAY;
    at(t);
    await task('supervise');
  }
  at(t);
  if (scenario === 'onSpot' || scenario === 'onSpotTimeout') {
    await triageCase(services, id, { level: 'on_spot', note: '现场协调解决' }, officeCaller(office));
    at(t + HOUR);
    await task('inviteSurvey');
    if (scenario === 'onSpot') {
      at(t + DAY);
      await survey({ solved: 'yes', satisfaction: 'satisfied' });
    } else {
      at(t + 30 * DAY);
      await task('closeNotRated');
    }
    return { id, caseNo: record.caseNo, scenario };
  }
  await triageCase(services, id, decision, officeCaller(office));
  let holder = unitId;
  if (scenario === 'returned') {
    at(t + HOUR);
    await unit('return', { reason: '不属于本单位职责' });
    t += 3 * HOUR;
    at(t);
    holder = unitId === 'approvals' ? 'commerce' : 'approvals';
    await triageCase(services, id, { level: 'department', unitId: holder }, officeCaller(office));
  }

  // The unit accepts and works.
  t += scenario === 'acceptedLate' ? 12 * DAY : HOUR;
  at(t);
  await unit('accept', {}, holder);
  at(t + HOUR);
  await unit('progress', { note: '已现场查看' }, holder);
  if (scenario === 'withUnit') return { id, caseNo: record.caseNo, scenario };
  if (scenario === 'openOverdue') {
    at(t + 25 * DAY);
    await task('supervise');
    return { id, caseNo: record.caseNo, scenario };
  }
  if (scenario === 'extended') {
    at(t + DAY);
    await unit('extension', { days: 20, reason: '需要上级部门审批' }, holder);
    at(t + DAY + HOUR);
    await decideCaseExtension(services, id, { grant: true }, officeCaller(office));
  }
  const resolveAfter =
    scenario === 'resolvedLate'
      ? 25 * DAY
      : scenario === 'extended'
        ? 15 * DAY
        : scenario === 'majorOnTime'
          ? 20 * DAY
          : 2 * DAY;
  t += resolveAfter;
  at(t);
  if (scenario === 'resolvedLate') await task('supervise');
  await unit('resolve', { resolution: '已协调解决' }, holder);
  at(t + HOUR);
  await task('inviteSurvey');
  if (scenario === 'awaitingSurvey') return { id, caseNo: record.caseNo, scenario };
  if (scenario === 'surveyTimeout') {
    at(t + 30 * DAY);
    await task('closeNotRated');
    return { id, caseNo: record.caseNo, scenario };
  }
  at(t + DAY);
  if (scenario === 'reopened' || scenario === 'reopenedTwice') {
    // Not solved: back to the unit (回头看); a second failure is escalated and stays open.
    await survey({ solved: 'partly', satisfaction: 'basically_satisfied' });
    t += 2 * DAY;
    at(t);
    await unit('accept', {}, holder);
    at(t + 2 * DAY);
    await unit('resolve', { resolution: '第二次办理' }, holder);
    at(t + 2 * DAY + HOUR);
    await task('inviteSurvey');
    at(t + 3 * DAY);
    await survey(
      scenario === 'reopened'
        ? { solved: 'yes', satisfaction: 'satisfied' }
        : { solved: 'no', satisfaction: 'dissatisfied' },
    );
    return { id, caseNo: record.caseNo, scenario };
  }
  await survey({
    solved: 'yes',
    satisfaction: scenario === 'basicallySatisfied' ? 'basically_satisfied' : 'satisfied',
  });
  return { id, caseNo: record.caseNo, scenario };
}

/** A small deterministic random source (mulberry32), so a failing campaign can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
