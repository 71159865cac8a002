import type { ZhuqiConfig } from '../config/config';
import type { AccessRepository } from '../store/access-repository';
import type { CaseRepository } from '../store/case-repository';
import type { Clock, IntakeMessage, Logger, MessageQueue } from './ports';

/** Everything the HTTP app and the workflow tasks need, wired once per process by an entry point. */
export interface Services {
  config: ZhuqiConfig;
  clock: Clock;
  logger: Logger;
  cases: CaseRepository;
  access: AccessRepository;
  intake: MessageQueue<IntakeMessage>;
}
