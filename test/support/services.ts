import { bootstrapStore, issueApiKey } from '../../shared/app/access';
import type { IntakeMessage, MessageQueue, NoticeMessage, WorkflowEngine } from '../../shared/app/ports';
import type { Services } from '../../shared/app/services';
import { parseConfig, type ZhuqiConfig } from '../../shared/config/config';
import { WorkCalendar } from '../../shared/domain/calendar';
import type { CaseStatus } from '../../shared/domain/case-state';
import { consoleLogger } from '../../shared/embedded/console-logger';
import { type LocalStore, startLocalStore } from '../../shared/embedded/local-store';
import { ManualClock } from '../../shared/embedded/manual-clock';
import { AccessRepository } from '../../shared/store/access-repository';
import { AuditRepository } from '../../shared/store/audit-repository';
import { CaseRepository } from '../../shared/store/case-repository';
import { CommonProblemRepository } from '../../shared/store/common-problem-repository';
import { LimitRepository } from '../../shared/store/limit-repository';
import { OutboxRepository } from '../../shared/store/outbox-repository';
import { SessionRepository } from '../../shared/store/session-repository';

/** A queue that keeps what was sent, for tests that check what the API queued. */
export class RecordingQueue<T> implements MessageQueue<T> {
  readonly sent: T[] = [];
  failNext = false;
  /** What `oldestPendingSentAt` answers: a backlog the test pretends is there. */
  oldest: string | undefined;
  async oldestPendingSentAt() {
    return this.oldest;
  }
  async send(message: T): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('queue unavailable');
    }
    this.sent.push(message);
  }
}

/** Records what the application asked of the workflow, for tests of the API alone. */
export class RecordingWorkflow implements WorkflowEngine {
  readonly started: { caseId: string; status: CaseStatus }[] = [];
  readonly woken: { token: string; state: { caseId: string; status: CaseStatus; waitSeconds?: number } }[] =
    [];
  async start(caseId: string, status: CaseStatus) {
    this.started.push({ caseId, status });
  }
  async wake(token: string, state: { caseId: string; status: CaseStatus; waitSeconds?: number }) {
    this.woken.push({ token, state });
  }
}

export interface TestServices extends Services {
  clock: ManualClock;
  intake: RecordingQueue<IntakeMessage>;
  notices: RecordingQueue<NoticeMessage>;
  workflow: RecordingWorkflow;
  store: LocalStore;
  officeKey: string;
  unitKey: (unitId: string) => Promise<string>;
}

/** Services on a fresh in-memory dynalite store (or the one given), bootstrapped like a first start, without a workflow. */
export async function testServices(
  config: ZhuqiConfig = parseConfig({}),
  given?: LocalStore,
): Promise<TestServices> {
  const store = given ?? (await startLocalStore(undefined));
  const clock = new ManualClock();
  const services = {
    config,
    clock,
    logger: consoleLogger({ silent: true }),
    cases: new CaseRepository(store.db, store.tableName),
    access: new AccessRepository(store.db, store.tableName),
    outbox: new OutboxRepository(store.db, store.tableName),
    audit: new AuditRepository(store.db, store.tableName),
    limits: new LimitRepository(store.db, store.tableName),
    commonProblems: new CommonProblemRepository(store.db, store.tableName),
    sessions: new SessionRepository(store.db, store.tableName),
    intake: new RecordingQueue<IntakeMessage>(),
    notices: new RecordingQueue<NoticeMessage>(),
    workflow: new RecordingWorkflow(),
    calendar: new WorkCalendar(config.calendar),
  };
  const officeKey = (await bootstrapStore(services))!;
  return {
    ...services,
    store,
    officeKey,
    unitKey: async (unitId) => (await issueApiKey(services, { role: 'unit', unitId, label: 'test' })).key,
  };
}
