import { createHash, createHmac } from 'node:crypto';
import { Agent, createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';

/**
 * A stand-in for Tencent Cloud's SMS API on loopback, following its documentation: `SendSms` of
 * API 2021-01-11 posted as JSON to `sms.tencentcloudapi.com`, signed with TC3-HMAC-SHA256 (the
 * canonical request of method, path, query, the `content-type` and `host` headers and the
 * payload's SHA-256; the key derived from the SecretKey, the UTC date and the service). A wrong
 * signature is answered `AuthFailure.SignatureFailure`; otherwise the next scripted answer.
 */
export interface SentSms {
  headers: IncomingHttpHeaders;
  body: {
    PhoneNumberSet: string[];
    SmsSdkAppId: string;
    SignName: string;
    TemplateId: string;
    TemplateParamSet?: string[];
  };
}

/** `ok`, an API error (`Response.Error`), or a per-number status code in `SendStatusSet`. */
export type ScriptedAnswer = 'ok' | { error: string } | { status: string };

export interface TencentSmsServer {
  /** The endpoint to give the SDK (its first label is the signed service name). */
  endpoint: string;
  /** Connects the SDK to this server whatever host the endpoint names. */
  agent: Agent;
  /** Every request that passed the signature check. */
  sent: SentSms[];
  /** Requests refused for their signature. */
  refused: number;
  /** The answers to give next, in order; `ok` when none is left. */
  script: ScriptedAnswer[];
  close(): Promise<void>;
}

export const TEST_CREDENTIALS = {
  secretId: 'AKIDzhuqiTestSecretId0000000000000',
  secretKey: 'zhuqi-test-secret-key-000000000',
};

const sha256hex = (text: string) => createHash('sha256').update(text).digest('hex');
const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text).digest();

/** The signature a request with these parts must carry (the documented TC3-HMAC-SHA256 steps). */
export function tc3Signature(parts: {
  secretKey: string;
  timestamp: number;
  service: string;
  host: string;
  contentType: string;
  payload: string;
}): string {
  const canonical = [
    'POST',
    '/',
    '',
    `content-type:${parts.contentType}\nhost:${parts.host}\n`,
    'content-type;host',
    sha256hex(parts.payload),
  ].join('\n');
  const date = new Date(parts.timestamp * 1000).toISOString().slice(0, 10);
  const scope = `${date}/${parts.service}/tc3_request`;
  const toSign = ['TC3-HMAC-SHA256', String(parts.timestamp), scope, sha256hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(`TC3${parts.secretKey}`, date), parts.service), 'tc3_request');
  return createHmac('sha256', key).update(toSign).digest('hex');
}

export async function startTencentSmsServer(): Promise<TencentSmsServer> {
  const state = { sent: [] as SentSms[], refused: 0, script: [] as ScriptedAnswer[] };
  let requests = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests += 1;
      const requestId = `req-${requests}`;
      const payload = Buffer.concat(chunks).toString('utf8');
      const answer = (body: unknown) =>
        response
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ Response: body }));
      const error = (code: string, message: string) =>
        answer({ Error: { Code: code, Message: message }, RequestId: requestId });

      const auth =
        /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d\d-\d\d)\/([a-z]+)\/tc3_request, SignedHeaders=content-type;host, Signature=([0-9a-f]{64})$/.exec(
          request.headers.authorization ?? '',
        );
      const timestamp = Number(request.headers['x-tc-timestamp']);
      const host = (request.headers.host ?? '').replace(/:\d+$/, '');
      const expected =
        auth &&
        tc3Signature({
          secretKey: TEST_CREDENTIALS.secretKey,
          timestamp,
          service: auth[3]!,
          host,
          contentType: request.headers['content-type'] ?? '',
          payload,
        });
      const fresh = Math.abs(Date.now() / 1000 - timestamp) <= 300;
      if (
        !auth ||
        auth[1] !== TEST_CREDENTIALS.secretId ||
        auth[3] !== 'sms' ||
        !fresh ||
        expected !== auth[4]
      ) {
        state.refused += 1;
        return error('AuthFailure.SignatureFailure', 'The provided credentials could not be validated.');
      }
      if (request.headers['x-tc-action'] !== 'SendSms' || request.headers['x-tc-version'] !== '2021-01-11') {
        return error('InvalidAction', 'the action or version is not SendSms 2021-01-11');
      }
      const body = JSON.parse(payload) as SentSms['body'];
      state.sent.push({ headers: request.headers, body });
      const next = state.script.shift() ?? 'ok';
      if (typeof next === 'object' && 'error' in next) return error(next.error, `scripted ${next.error}`);
      const phone = body.PhoneNumberSet[0];
      const code = next === 'ok' ? 'Ok' : next.status;
      return answer({
        SendStatusSet: [
          {
            SerialNo: `2028:${requests}`,
            PhoneNumber: phone,
            Fee: 1,
            SessionContext: '',
            Code: code,
            Message: code === 'Ok' ? 'send success' : `scripted ${code} for ${phone}`,
            IsoCode: 'CN',
          },
        ],
        RequestId: requestId,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  // Every host name resolves to this server, so the SDK keeps signing for sms.tencentcloudapi.com.
  const lookup: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all)
      (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: '127.0.0.1', family: 4 },
      ]);
    else callback(null, '127.0.0.1', 4);
  };
  const agent = new Agent({ lookup } as never);
  return {
    endpoint: `sms.tencentcloudapi.com:${port}`,
    agent,
    get sent() {
      return state.sent;
    },
    get refused() {
      return state.refused;
    },
    get script() {
      return state.script;
    },
    set script(answers) {
      state.script = answers;
    },
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
