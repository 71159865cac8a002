import { bootstrapStore, issueApiKey } from '../../shared/app/access';
import type { IntakeMessage, MessageQueue } from '../../shared/app/ports';
import type { Services } from '../../shared/app/services';
import { parseConfig, type ZhuqiConfig } from '../../shared/config/config';
import { consoleLogger } from '../../shared/embedded/console-logger';
import { type LocalStore, startLocalStore } from '../../shared/embedded/local-store';
import { AccessRepository } from '../../shared/store/access-repository';
import { CaseRepository } from '../../shared/store/case-repository';
import { ManualClock } from './clock';

/** A queue that keeps what was sent, for tests that check what the API queued. */
export class RecordingQueue<T> implements MessageQueue<T> {
  readonly sent: T[] = [];
  failNext = false;
  async send(message: T): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('queue unavailable');
    }
    this.sent.push(message);
  }
}

export interface TestServices extends Services {
  clock: ManualClock;
  intake: RecordingQueue<IntakeMessage>;
  store: LocalStore;
  officeKey: string;
  unitKey: (unitId: string) => Promise<string>;
}

/** Services on a fresh in-memory dynalite store, bootstrapped like a first start. */
export async function testServices(config: ZhuqiConfig = parseConfig({})): Promise<TestServices> {
  const store = await startLocalStore(undefined);
  const clock = new ManualClock();
  const services = {
    config,
    clock,
    logger: consoleLogger({ silent: true }),
    cases: new CaseRepository(store.db, store.tableName),
    access: new AccessRepository(store.db, store.tableName),
    intake: new RecordingQueue<IntakeMessage>(),
  };
  const officeKey = (await bootstrapStore(services))!;
  return {
    ...services,
    store,
    officeKey,
    unitKey: async (unitId) => (await issueApiKey(services, { role: 'unit', unitId, label: 'test' })).key,
  };
}
