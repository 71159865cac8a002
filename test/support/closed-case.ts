import { fileCase } from '../../shared/app/file-case';
import { ruleContext } from '../../shared/app/rules';
import type { Services } from '../../shared/app/services';
import type { Actor, CaseRecord } from '../../shared/domain/case';
import {
  acceptCase,
  answerSurvey,
  decideTriage,
  openSurvey,
  resolveCase,
  startTriage,
} from '../../shared/domain/case-rules';
import type { ManualClock } from '../../shared/embedded/manual-clock';
import { validFiling } from './fixtures';

const SYSTEM: Actor = { kind: 'system' };
const UNIT: Actor = { kind: 'unit', id: 'power-supply' };
const ENTERPRISE: Actor = { kind: 'enterprise' };

/**
 * Stores a resolved case whose survey is open at `surveyAt` (token `survey-token-<id>`, its link
 * stored): filed three hours earlier, then taken through triage, acceptance and resolution by the
 * domain rules, and stored with one conditional write. No workflow is started for it (the filing
 * is not queued). Leaves the clock at `surveyAt`.
 */
export async function storeSurveyedCase(
  services: Services & { clock: ManualClock },
  surveyAt: string,
  title: string,
): Promise<CaseRecord> {
  services.clock.set(new Date(Date.parse(surveyAt) - 3 * 3600_000));
  const { record: filed } = await fileCase(
    { ...services, intake: { send: async () => {} } },
    { filing: { ...validFiling(), title }, defaultChannel: 'api', actor: ENTERPRISE },
  );
  const as = (actor: Actor) => ruleContext(services, actor);
  const triaged = startTriage(filed, services.config.categories, as(SYSTEM));
  const assigned = decideTriage(triaged, { level: 'department', unitId: 'power-supply' }, as(SYSTEM));
  const resolved = resolveCase(acceptCase(assigned, as(UNIT)), '已协调送电', as(UNIT));
  services.clock.set(surveyAt);
  const surveyed = openSurvey(resolved, `survey-token-${filed.id}`, as(SYSTEM)).record;
  const stored = await services.cases.save(surveyed);
  await services.cases.putSurveyLink(surveyed.survey!.token, stored.id);
  return stored;
}

/** Stores a case closed satisfied at `closeAt` (see storeSurveyedCase). Leaves the clock at `closeAt`. */
export async function storeClosedCase(
  services: Services & { clock: ManualClock },
  closeAt: string,
  title: string,
): Promise<CaseRecord> {
  const surveyed = await storeSurveyedCase(services, closeAt, title);
  const closed = answerSurvey(
    surveyed,
    { solved: 'yes', satisfaction: 'satisfied' },
    ruleContext(services, ENTERPRISE),
  );
  if (closed.status !== 'closed') throw new Error(`the case did not close: ${closed.status}`);
  return services.cases.save(closed);
}
