import type { ZhuqiConfig } from '../config/config';
import type { Actor, CaseRecord } from '../domain/case';
import { formatCaseNo } from '../domain/case-number';
import type { Channel } from '../domain/case-state';
import { chinaDate, chinaYear } from '../domain/china-time';
import type { Filing } from '../domain/filing';
import type { CaseRepository } from '../store/case-repository';
import { DuplicateFilingError, IdempotencyKeyReuseError } from './errors';
import type { Clock, IntakeMessage, MessageQueue } from './ports';
import { canonicalJson, newSecret, sha256 } from './secrets';

export interface FileCaseDeps {
  config: Pick<ZhuqiConfig, 'caseNoPrefix'>;
  clock: Clock;
  cases: CaseRepository;
  intake: MessageQueue<IntakeMessage>;
  log?: (message: string, details: Record<string, unknown>) => void;
}

export interface FileCaseRequest {
  filing: Filing;
  /** Channel when the filing does not name one: the web form says `web`, the API `api`. */
  defaultChannel: Channel;
  actor: Actor;
  /**
   * The client's Idempotency-Key, or the form's one-time submission id. Without one, the same
   * filing posted again on the same day (China time) is refused as a duplicate (DuplicateFilingError),
   * never answered with the first case, whose tracking link is the filer's secret.
   */
  idempotencyKey?: string;
  /**
   * Whether the key names one submission of one body (a form's submission id: the same form
   * sent twice is one case, the form corrected and sent again is another), rather than one
   * request whose body must not change (an API client's Idempotency-Key).
   */
  keyPerBody?: boolean;
  /** Runs only when a new case is about to be created (a repeat is answered without it): the abuse limits. */
  beforeCreate?: () => Promise<void>;
}

export interface FileCaseResult {
  record: CaseRecord;
  /** False when the request repeated an earlier one and the existing case is returned. */
  created: boolean;
}

/**
 * Files a problem as a case (企业诉求登记).
 * 1. Derive the case id from the idempotency key, so a repeated request finds the first case.
 * 2. Reserve the next case number of the year and write the case, only if its id is new.
 * 3. Queue the case for the workflow; if that fails the intake sweeper queues it later.
 */
export async function fileCase(deps: FileCaseDeps, request: FileCaseRequest): Promise<FileCaseResult> {
  const now = deps.clock.now();
  const fingerprint = sha256(canonicalJson(request.filing));
  const idempotencyKey = !request.idempotencyKey
    ? `body:${chinaDate(now)}:${fingerprint}`
    : request.keyPerBody
      ? `form:${request.idempotencyKey}:${fingerprint}`
      : `key:${request.idempotencyKey}`;
  const id = caseIdFor(idempotencyKey);

  const existing = await deps.cases.get(id);
  if (existing) return replay(existing, fingerprint, request);
  await request.beforeCreate?.();

  const year = chinaYear(now);
  const sequence = await deps.cases.nextSequence(deps.config.caseNoPrefix, year);
  const at = now.toISOString();
  const { filing } = request;
  const record: CaseRecord = {
    id,
    caseNo: formatCaseNo(deps.config.caseNoPrefix, year, sequence),
    trackingKey: newSecret(),
    fingerprint,
    status: 'submitted',
    flags: { overdue: false, escalated: false, reopened: false },
    enterprise: filing.enterprise,
    contact: filing.contact,
    category: filing.category,
    title: filing.title,
    description: filing.description,
    channel: filing.channel ?? request.defaultChannel,
    ...(filing.cadre ? { cadre: filing.cadre } : {}),
    reopenCount: 0,
    clocks: [],
    notices: [],
    createdAt: at,
    updatedAt: at,
    version: 1,
    history: [{ at, actor: request.actor, action: 'file', to: 'submitted', public: true }],
  };
  if (!(await deps.cases.create(record))) {
    // Another request with the same key won the race; answer with its case.
    const winner = await deps.cases.get(id);
    if (!winner) throw new Error(`case ${id} vanished after a lost creation race`);
    return replay(winner, fingerprint, request);
  }

  try {
    await deps.intake.send({ caseId: id });
  } catch (error) {
    deps.log?.('intake queue unavailable; the sweeper will queue the case', {
      caseId: id,
      error: String(error),
    });
  }
  return { record, created: true };
}

/** A repeat gets its case (and so its tracking link) only when it carries the key the case was filed with. */
function replay(existing: CaseRecord, fingerprint: string, request: FileCaseRequest): FileCaseResult {
  if (!request.idempotencyKey) throw new DuplicateFilingError();
  if (existing.fingerprint !== fingerprint) throw new IdempotencyKeyReuseError();
  return { record: existing, created: false };
}

/** Case ids are derived from the idempotency key: 20 lower-case base-32 characters. */
export function caseIdFor(idempotencyKey: string): string {
  const digest = Buffer.from(sha256(`case:${idempotencyKey}`), 'hex');
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let id = '';
  for (let i = 0; i < 20; i++) id += alphabet[digest[i]! % 32];
  return id;
}
