import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createAdaptorServer } from '@hono/node-server';
import { bootstrapStore } from '../app/access';
import { followUpJob } from '../app/follow-up';
import { startCaseWorkflow, sweepIntake } from '../app/intake';
import { noticeChannels } from '../app/notice-channels';
import { deliverNotice } from '../app/notifier';
import { type Clock, type IntakeMessage, type Logger, type NoticeMessage, systemClock } from '../app/ports';
import type { Services } from '../app/services';
import type { SmsProvider } from '../app/sms';
import type { ZhuqiConfig } from '../config/config';
import { WorkCalendar } from '../domain/calendar';
import { createApp } from '../http/app';
import { AccessRepository } from '../store/access-repository';
import { AuditRepository } from '../store/audit-repository';
import { CaseRepository } from '../store/case-repository';
import { CommonProblemRepository } from '../store/common-problem-repository';
import { LimitRepository } from '../store/limit-repository';
import { OutboxRepository } from '../store/outbox-repository';
import { SessionRepository } from '../store/session-repository';
import { consoleLogger } from './console-logger';
import { startLocalStore } from './local-store';
import { LocalWorkflowEngine, realScheduler, type Scheduler, type WorkflowEvent } from './local-workflow';
import { TableQueue } from './table-queue';

const QUEUE_CONCURRENCY = 8;
/**
 * Notices are delivered more at a time: a burst of deadlines issues them from 16 supervision steps
 * at once (`TIMEOUT_CONCURRENCY`), and the notifier must keep up with them, not finish after them.
 */
const NOTICE_CONCURRENCY = 32;

export interface RuntimeOptions {
  config: ZhuqiConfig;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Where the data lives; undefined keeps everything in memory (tests that need no restart). */
  dataDir: string | undefined;
  /** The first office key of an empty store (`ZHUQI_BOOTSTRAP_OFFICE_KEY`); generated when absent. */
  bootstrapOfficeKey?: string;
  /** `ZHUQI_DAY_SECONDS`: one day of every deadline lasts this many seconds. */
  daySeconds?: number;
  clock?: Clock;
  /** The workflow's timers; tests pass one driven by their manual clock. */
  scheduler?: Scheduler;
  logger?: Logger;
  /** Sees every step of every execution (tracing, tests of the definition's coverage). */
  workflowObserver?: (event: WorkflowEvent) => void;
  /** How often the intake sweeper looks for cases whose workflow never started. */
  sweepIntervalMs?: number;
  /** Sends the enterprise's text messages when the configuration has an `sms` section. */
  smsProvider?: SmsProvider;
  /** How often the follow-up job (回头看) looks whether the month before still waits for its sample. */
  followUpIntervalMs?: number;
}

export interface Runtime {
  url: string;
  port: number;
  services: Services;
  engine: LocalWorkflowEngine;
  queues: { intake: TableQueue<IntakeMessage>; notices: TableQueue<NoticeMessage> };
  /** The store's client and table (backups, benchmarks). */
  store: { db: DynamoDBDocumentClient; tableName: string };
  /** The office key created by this start (first start of an empty store only). */
  createdOfficeKey?: string;
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  override name = 'PortInUseError';
  constructor(readonly port: number) {
    super(
      `port ${port} is already in use — stop the other program or choose another port: --port ${port + 1} (or PORT=${port + 1})`,
    );
  }
}

/**
 * The embedded runtime: the whole platform in one Node process with no AWS account — the Hono
 * app on @hono/node-server, dynalite as the DynamoDB store on local disk, durable table-backed
 * queues in place of SQS, and the workflow definition run by aws-local-stepfunctions.
 * On every start it resumes each open case at its phase, with the deadlines stored on it.
 */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? consoleLogger();
  const store = await startLocalStore(options.dataDir);
  const closers: (() => Promise<void>)[] = [() => store.close()];
  const close = async () => {
    for (const closer of closers.reverse()) await closer();
  };
  try {
    let app: ReturnType<typeof createApp> | undefined;
    const starting = () =>
      new Response('Zhuqi is starting', { status: 503, headers: { 'Retry-After': '1' } });
    const server = await listen(
      // The Node bindings (the socket) go along: the abuse limits count per client address.
      (request, env) => (app ? app.fetch(request, env) : starting()),
      options.port,
      options.host ?? '127.0.0.1',
    );
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    const port = (server.address() as AddressInfo).port;
    const url = `http://${options.host && options.host !== '0.0.0.0' ? options.host : 'localhost'}:${port}`;
    const config = { ...options.config, publicBaseUrl: options.config.publicBaseUrl ?? url };

    // Several messages at once, as Lambda's SQS pollers would: a burst of filings or of deadlines
    // falling due together (every deadline ends at 24:00) is worked off in parallel.
    const intake = new TableQueue<IntakeMessage>(store.db, store.tableName, 'intake', clock, logger, {
      concurrency: QUEUE_CONCURRENCY,
    });
    const notices = new TableQueue<NoticeMessage>(store.db, store.tableName, 'notices', clock, logger, {
      concurrency: NOTICE_CONCURRENCY,
    });
    const engine = new LocalWorkflowEngine(
      options.scheduler ?? realScheduler,
      logger,
      options.workflowObserver,
    );
    const services: Services = {
      config,
      clock,
      logger,
      cases: new CaseRepository(store.db, store.tableName),
      access: new AccessRepository(store.db, store.tableName),
      outbox: new OutboxRepository(store.db, store.tableName),
      audit: new AuditRepository(store.db, store.tableName),
      limits: new LimitRepository(store.db, store.tableName),
      commonProblems: new CommonProblemRepository(store.db, store.tableName),
      sessions: new SessionRepository(store.db, store.tableName),
      intake,
      notices,
      workflow: engine,
      calendar: new WorkCalendar(config.calendar),
      ...(options.daySeconds ? { daySeconds: options.daySeconds } : {}),
    };
    engine.bind(services);
    closers.push(
      () => engine.stop(),
      () => intake.stop(),
      () => notices.stop(),
    );

    const createdOfficeKey = await bootstrapStore(services, options.bootstrapOfficeKey);
    app = createApp(services);
    // A message is done when its case's workflow has reached its first wait: the queue's concurrency
    // then bounds the executions a burst of filings starts, and the answers to the filers come first.
    intake.start(async (message) => {
      await startCaseWorkflow(engine.intakeServices, message.caseId);
      await engine.settled(message.caseId);
    });
    const channels = noticeChannels(services, options.smsProvider);
    notices.start((message) => deliverNotice({ ...services, channels }, message));
    const resumed = await engine.resumeOpenCases();
    if (resumed > 0) logger.info('resumed open cases', { count: resumed });

    const sweep = setInterval(() => {
      void sweepIntake(services, 60_000).catch((error) =>
        logger.error('intake sweep failed', { error: String(error) }),
      );
    }, options.sweepIntervalMs ?? 60_000);
    closers.push(async () => clearInterval(sweep));

    // 回头看: on start and every hour, the month before is sampled once it has ended (the job
    // remembers the month it sampled; sampling a month already sampled changes nothing).
    const sampleFollowUps = followUpJob(services);
    let sampling: Promise<void> | undefined;
    const runFollowUps = () => {
      if (sampling) return;
      sampling = sampleFollowUps()
        .then(
          () => {},
          (error) => logger.error('follow-up sampling failed', { error: String(error) }),
        )
        .finally(() => {
          sampling = undefined;
        });
    };
    runFollowUps();
    const followUps = setInterval(runFollowUps, options.followUpIntervalMs ?? 3_600_000);
    closers.push(async () => {
      clearInterval(followUps);
      await sampling;
    });

    return {
      url,
      port,
      services,
      engine,
      queues: { intake, notices },
      store: { db: store.db, tableName: store.tableName },
      ...(createdOfficeKey ? { createdOfficeKey } : {}),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function listen(
  fetch: (request: Request, env: unknown) => Response | Promise<Response>,
  port: number,
  host: string,
) {
  const server = createAdaptorServer({ fetch }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error),
    );
    server.listen(port, host, () => resolve());
  });
  return server;
}
