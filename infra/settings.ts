import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { parseConfig } from '../shared/config/config';
import { TASK_TIMEOUT_SECONDS } from '../shared/workflow/definition';

/** The repository root: entry points, the lock file and tsconfig are found from here. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * China's Cybersecurity Law (art. 21) wants network logs kept no less than six months: every log
 * group of the platform (Lambda, API access logs, state machine) keeps its events this long.
 */
export const LOG_RETENTION = RetentionDays.SIX_MONTHS;

/** How long each function may run. The workflow task stays under the Task timeout of the definition. */
export const FUNCTION_TIMEOUTS = {
  api: Duration.seconds(20),
  intake: Duration.seconds(30),
  // A webhook delivery may take its full 10 s; a batch of them runs concurrently.
  notifier: Duration.seconds(30),
  workflowTask: Duration.seconds(TASK_TIMEOUT_SECONDS - 10),
  sweeper: Duration.minutes(2),
  // Reads the whole closed partition once a month and marks a sample of it.
  followUp: Duration.minutes(5),
} as const;

/** Messages an SQS-triggered function takes per invocation. */
export const QUEUE_BATCH_SIZE = 10;

/** What the HTTP API admits: steady requests per second, and the burst above it. */
export interface ApiThrottle {
  rateLimit: number;
  burstLimit: number;
}

/**
 * Reserved concurrency per function, sized from the HTTP API's throttle: no function can take the
 * concurrency of the account from the others, and none is throttled below what the API lets in.
 * - api: the burst API Gateway admits at once (at the steady rate, requests of up to burst/rate
 *   seconds);
 * - intake and notifier: every filing makes one intake message, rate / batch size batches a second,
 *   each done well within a second; notices follow cases at the same pace. The queues' event sources
 *   poll with at most this many concurrent batches, so Lambda never throttles a batch (a throttled
 *   batch counts as a receive towards the dead-letter queue);
 * - workflowTask: one task per step of a case, cases starting at most at the API's rate; a throttled
 *   task is retried by the workflow (Lambda.TooManyRequestsException);
 * - sweeper and followUp: one run at a time.
 * Lambda keeps 100 of the account's concurrency unreserved: the account needs the sum plus 100.
 */
export function reservedConcurrency(throttle: ApiThrottle) {
  const batches = Math.max(2, Math.ceil(throttle.rateLimit / QUEUE_BATCH_SIZE));
  return {
    api: throttle.burstLimit,
    intake: batches,
    notifier: batches,
    workflowTask: throttle.rateLimit,
    sweeper: 1,
    followUp: 1,
  } satisfies Record<keyof typeof FUNCTION_TIMEOUTS, number>;
}

/**
 * How EventBridge retries delivering a schedule to its function before the event goes to the
 * schedules' dead-letter queue. A sweep that cannot start is replaced by the next one five minutes
 * later; the monthly sample may be late by a day but must not be lost.
 */
export const SCHEDULE_RETRY = {
  sweeper: { retryAttempts: 2, maxEventAge: Duration.minutes(5) },
  followUp: { retryAttempts: 24, maxEventAge: Duration.hours(24) },
} as const;

/**
 * A queue hides a received message for six times its consumer's timeout, as Lambda advises for SQS
 * event sources: retries and batching windows then never hand the same message to two invocations.
 */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/** Lambda limits all environment variables of a function to 4 KB together; the rest needs some room. */
const MAX_CONFIG_BYTES = 3_000;

/** What a deployment is told on the command line (`-c key=value`). */
export interface DeploySettings {
  /** `dev` by default; names every stack and resource (`zhuqi-<stage>-…`). */
  stage: string;
  /** Where alarm notifications are e-mailed (an SNS e-mail subscription to confirm once). */
  alarmEmail?: string;
  /** Where enterprises reach the public pages; defaults to the HTTP API's own URL. */
  publicBaseUrl?: string;
  /** The Zhuqi configuration JSON handed to the functions as ZHUQI_CONFIG, checked at synth time. */
  zhuqiConfig?: string;
  /** The Secrets Manager secret (name) with the SMS provider's credentials, when `sms` is configured. */
  smsCredentialsSecret?: string;
}

export class DeploySettingsError extends Error {
  override name = 'DeploySettingsError';
}

function optionalString(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new DeploySettingsError(`-c ${key} must be a string`);
  return value;
}

/** Reads and checks the deployment settings from CDK context, failing fast with the name of what is wrong. */
export function readDeploySettings(node: Node): DeploySettings {
  const stage = optionalString(node, 'stage') ?? 'dev';
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(stage)) {
    throw new DeploySettingsError(
      `-c stage=${stage}: use 1 to 16 lower-case letters, digits or hyphens, starting with a letter`,
    );
  }
  const alarmEmail = optionalString(node, 'alarmEmail');
  if (alarmEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(alarmEmail)) {
    throw new DeploySettingsError(`-c alarmEmail=${alarmEmail} is not an e-mail address`);
  }
  const publicBaseUrl = optionalString(node, 'publicBaseUrl');
  if (publicBaseUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(publicBaseUrl)) {
    throw new DeploySettingsError(`-c publicBaseUrl=${publicBaseUrl} is not an http(s) URL`);
  }
  const configFile = optionalString(node, 'configFile');
  const smsCredentialsSecret = optionalString(node, 'smsCredentialsSecret');
  if (smsCredentialsSecret !== undefined && !/^[\w/+=.@-]{1,512}$/.test(smsCredentialsSecret)) {
    throw new DeploySettingsError(`-c smsCredentialsSecret=${smsCredentialsSecret} is not a secret name`);
  }
  return {
    stage,
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(publicBaseUrl ? { publicBaseUrl: publicBaseUrl.replace(/\/+$/, '') } : {}),
    ...(configFile ? { zhuqiConfig: readZhuqiConfig(configFile) } : {}),
    ...(smsCredentialsSecret ? { smsCredentialsSecret } : {}),
  };
}

/** The configuration file as compact JSON, validated the way the functions will read it. */
function readZhuqiConfig(file: string): string {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(resolve(file), 'utf8'));
  } catch (error) {
    throw new DeploySettingsError(`-c configFile=${file}: ${(error as Error).message}`);
  }
  parseConfig(raw);
  const json = JSON.stringify(raw);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > MAX_CONFIG_BYTES) {
    throw new DeploySettingsError(
      `-c configFile=${file}: ${bytes} bytes of JSON; Lambda allows 4 KB of environment in all, ` +
        `so the configuration passed as ZHUQI_CONFIG must stay under ${MAX_CONFIG_BYTES} bytes`,
    );
  }
  return json;
}
