import type { Agent } from 'node:http';
import type { sms } from 'tencentcloud-sdk-nodejs-sms';
import { type SmsProvider, SmsRejectedError, SmsThrottledError } from '../app/sms';
import type { SmsConfig } from '../config/config';
import { maskMobilesIn } from '../domain/case';

type Client = InstanceType<typeof sms.v20210111.Client>;
type ClientConfig = ConstructorParameters<typeof sms.v20210111.Client>[0];

/** Tencent Cloud API credentials (a sub-account's SecretId and SecretKey, allowed sms:SendSms only). */
export interface TencentCredentials {
  secretId: string;
  secretKey: string;
  /** The session token of temporary credentials. */
  token?: string;
}

export interface TencentSmsOptions {
  config: SmsConfig;
  /** The credentials, or where to get them when first needed (a secret store). */
  credentials: TencentCredentials | (() => Promise<TencentCredentials>);
  /** Another endpoint, protocol or agent for the SDK (a proxy; a stand-in server in tests). */
  http?: { endpoint?: string; protocol?: string; agent?: Agent; timeoutSeconds?: number };
  /** A throttling answer is retried this many times here, waiting 1 s, 2 s… (then the queue retries). */
  throttleRetries?: number;
  sleep?: (ms: number) => Promise<void>;
}

// Error codes of SendSms (API 2021-01-11): rate limits are worth another try later, internal errors
// too; anything else (a refused number, template, signature or key) will not change by trying again.
const THROTTLED = /^(RequestLimitExceeded|LimitExceeded\.)/;
const TRANSIENT = /^(InternalError|ResourceUnavailable|FailedOperation\.InsufficientBalanceInSmsPackage)/;

function failure(code: string, message: string, requestId?: string): Error {
  const text = maskMobilesIn(`${code}: ${message}${requestId ? ` (RequestId ${requestId})` : ''}`);
  if (THROTTLED.test(code)) return new SmsThrottledError(text);
  if (TRANSIENT.test(code)) return new Error(`Tencent Cloud SMS ${text}`);
  return new SmsRejectedError(text);
}

/** What the SDK threw, as one of ours: its API errors carry a code; anything else is transport. */
function fromSdk(error: unknown): Error {
  const e = error as { code?: string; message?: string; requestId?: string; httpCode?: number };
  if (e?.code) return failure(e.code, e.message ?? '', e.requestId);
  return new Error(`Tencent Cloud SMS unreachable: ${maskMobilesIn(e?.message ?? String(error))}`);
}

/**
 * Tencent Cloud SMS (腾讯云短信) through its official SDK, API 2021-01-11 `SendSms`: one number
 * per request (+86), the configured SdkAppId, signature and template, the template's variables.
 * The SDK (about 500 KB bundled, with its fetch and URL polyfills) is loaded by the first message:
 * the notifier's Lambda bundle keeps it in a chunk of its own, which only a deployment with SMS loads.
 */
export function tencentSmsProvider(options: TencentSmsOptions): SmsProvider {
  const { config } = options;
  const credentials = options.credentials;
  const clientConfig: ClientConfig = {
    credential:
      typeof credentials === 'function' ? { getCredential: () => credentials() } : { ...credentials },
    region: config.region,
    profile: {
      httpProfile: {
        reqMethod: 'POST',
        reqTimeout: options.http?.timeoutSeconds ?? 10,
        ...(options.http?.endpoint ? { endpoint: options.http.endpoint } : {}),
        ...(options.http?.protocol ? { protocol: options.http.protocol } : {}),
        ...(options.http?.agent ? { agent: options.http.agent } : {}),
      },
    },
  };
  let client: Promise<Client> | undefined;
  const clientOf = () =>
    (client ??= import('tencentcloud-sdk-nodejs-sms').then(
      ({ sms }) => new sms.v20210111.Client(clientConfig),
      (error: unknown) => {
        client = undefined; // tried again with the next message
        throw error;
      },
    ));
  const retries = options.throttleRetries ?? 2;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  return {
    name: 'tencent-sms',
    async send({ mobile, templateId, params }) {
      for (let attempt = 0; ; attempt++) {
        let error: Error;
        try {
          const answer = await (await clientOf()).SendSms({
            PhoneNumberSet: [`+86${mobile}`],
            SmsSdkAppId: config.sdkAppId,
            SignName: config.signName,
            TemplateId: templateId,
            TemplateParamSet: params,
          });
          const status = answer.SendStatusSet?.[0];
          if (status?.Code === 'Ok') return status.SerialNo ? { messageId: status.SerialNo } : {};
          error = failure(
            status?.Code ?? 'NoSendStatus',
            status?.Message ?? 'the answer has no send status',
            answer.RequestId,
          );
        } catch (thrown) {
          error = fromSdk(thrown);
        }
        if (!(error instanceof SmsThrottledError) || attempt >= retries) throw error;
        await sleep(1000 * 2 ** attempt);
      }
    },
  };
}
