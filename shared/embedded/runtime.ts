import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { bootstrapStore } from '../app/access';
import { type Clock, type IntakeMessage, type Logger, systemClock } from '../app/ports';
import type { Services } from '../app/services';
import type { ZhuqiConfig } from '../config/config';
import { createApp } from '../http/app';
import { AccessRepository } from '../store/access-repository';
import { CaseRepository } from '../store/case-repository';
import { consoleLogger } from './console-logger';
import { startLocalStore } from './local-store';
import { TableQueue } from './table-queue';

export interface RuntimeOptions {
  config: ZhuqiConfig;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Where the data lives; undefined keeps everything in memory (tests that need no restart). */
  dataDir: string | undefined;
  /** The first office key of an empty store (`ZHUQI_BOOTSTRAP_OFFICE_KEY`); generated when absent. */
  bootstrapOfficeKey?: string;
  clock?: Clock;
  logger?: Logger;
}

export interface Runtime {
  url: string;
  port: number;
  services: Services;
  queues: { intake: TableQueue<IntakeMessage> };
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
 * The embedded runtime: the whole platform in one Node process with no AWS account — the
 * Hono app on @hono/node-server, dynalite as the DynamoDB store on local disk, and durable
 * table-backed queues in place of SQS.
 */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? consoleLogger();
  const store = await startLocalStore(options.dataDir);
  try {
    const intake = new TableQueue<IntakeMessage>(store.db, store.tableName, 'intake', clock, logger);
    const services: Services = {
      config: options.config,
      clock,
      logger,
      cases: new CaseRepository(store.db, store.tableName),
      access: new AccessRepository(store.db, store.tableName),
      intake,
    };
    const createdOfficeKey = await bootstrapStore(services, options.bootstrapOfficeKey);
    const server = await listen(createApp(services).fetch, options.port, options.host ?? '127.0.0.1');
    const port = (server.address() as AddressInfo).port;
    return {
      url: `http://${options.host && options.host !== '0.0.0.0' ? options.host : 'localhost'}:${port}`,
      port,
      services,
      queues: { intake },
      ...(createdOfficeKey ? { createdOfficeKey } : {}),
      close: async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await intake.stop();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

async function listen(fetch: (request: Request) => Response | Promise<Response>, port: number, host: string) {
  const server = createAdaptorServer({ fetch }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error),
    );
    server.listen(port, host, () => resolve());
  });
  return server;
}
