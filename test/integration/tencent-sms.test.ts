import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tencentSmsProvider } from '../../shared/adapters/tencent-sms';
import { SmsRejectedError, SmsThrottledError } from '../../shared/app/sms';
import { smsConfigSchema } from '../../shared/config/config';
import {
  startTencentSmsServer,
  TEST_CREDENTIALS,
  type TencentSmsServer,
} from '../support/tencent-sms-server';

// The Tencent Cloud SMS adapter through the official SDK, against a local server that plays the
// documented SendSms API and checks every request's TC3-HMAC-SHA256 signature.

const config = smsConfigSchema.parse({
  provider: 'tencent',
  sdkAppId: '1400006666',
  signName: '鄢陵县助企办',
  templates: { survey: { id: '1234567', text: '您反映的问题{caseNo}已办结，请于{deadline}前评价：{link}' } },
});

let server: TencentSmsServer;
let waits: number[];
beforeAll(async () => {
  server = await startTencentSmsServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.sent.length = 0;
  server.script = [];
  waits = [];
});

const provider = (credentials = TEST_CREDENTIALS) =>
  tencentSmsProvider({
    config,
    credentials,
    http: { endpoint: server.endpoint, protocol: 'http://', agent: server.agent },
    sleep: async (ms) => {
      waits.push(ms);
    },
  });

/** The error a promise rejects with; a promise that resolves fails the test. */
async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error as Error,
  );
  if (!outcome) throw new Error('expected the send to fail');
  return outcome;
}

const request = {
  mobile: '13812345678',
  templateId: '1234567',
  params: ['YL-2026-000001', '2026-12-08 00:00', 'https://zhuqi.example.gov.cn/survey/abc'],
};

describe('Tencent Cloud SMS adapter', () => {
  it('sends one signed SendSms request with the number, application, signature, template and its variables only', async () => {
    // Act
    const receipt = await provider().send(request);

    // Assess
    expect(receipt).toEqual({ messageId: expect.stringMatching(/^2028:/) });
    expect(server.sent).toHaveLength(1);
    const [{ body, headers }] = server.sent as [(typeof server.sent)[number]];
    expect(body).toEqual({
      PhoneNumberSet: ['+8613812345678'],
      SmsSdkAppId: '1400006666',
      SignName: '鄢陵县助企办',
      TemplateId: '1234567',
      TemplateParamSet: request.params,
    });
    expect(headers['x-tc-region']).toBe('ap-guangzhou');
    expect(headers.authorization).toMatch(/^TC3-HMAC-SHA256 Credential=AKIDzhuqiTestSecretId/);
    expect(waits).toEqual([]);
  });

  it('is refused by the server when signed with another key, as a rejection that is not retried', async () => {
    // Prepare
    const refusedBefore = server.refused;

    // Act
    const sending = provider({ ...TEST_CREDENTIALS, secretKey: 'not-the-secret-key-0000000000000' }).send(
      request,
    );

    // Assess
    await expect(sending).rejects.toThrow(SmsRejectedError);
    await expect(sending).rejects.toThrow(/AuthFailure\.SignatureFailure/);
    expect(server.refused).toBe(refusedBefore + 1);
    expect(server.sent).toHaveLength(0);
    expect(waits).toEqual([]);
  });

  it('retries a throttling answer after a pause, and sends once', async () => {
    // Prepare
    server.script = [
      { error: 'RequestLimitExceeded' },
      { status: 'LimitExceeded.PhoneNumberThirtySecondLimit' },
      'ok',
    ];

    // Act
    const receipt = await provider().send(request);

    // Assess
    expect(receipt.messageId).toBeDefined();
    expect(server.sent).toHaveLength(3);
    expect(waits).toEqual([1000, 2000]);
  });

  it('gives up on throttling after its retries, as an error the queue retries later', async () => {
    // Prepare
    server.script = Array.from({ length: 3 }, () => ({ error: 'RequestLimitExceeded' }));

    // Act
    const sending = provider().send(request);

    // Assess
    await expect(sending).rejects.toThrow(SmsThrottledError);
    expect(server.sent).toHaveLength(3);
    expect(waits).toEqual([1000, 2000]);
  });

  it('rejects for good a number the provider refuses, without the full number in the error', async () => {
    // Prepare
    server.script = [{ status: 'InvalidParameterValue.IncorrectPhoneNumber' }];

    // Act
    const error = await failureOf(provider().send(request));

    // Assess
    expect(error).toBeInstanceOf(SmsRejectedError);
    expect(error.message).toMatch(/IncorrectPhoneNumber/);
    expect(error.message).toContain('138****5678');
    expect(error.message).not.toContain('13812345678');
    expect(server.sent).toHaveLength(1);
  });

  it('treats an internal error of the provider as worth another try by the queue', async () => {
    // Prepare
    server.script = [{ error: 'InternalError.Timeout' }];

    // Act
    const error = await failureOf(provider().send(request));

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(SmsRejectedError);
    expect(error).not.toBeInstanceOf(SmsThrottledError);
    expect(error.message).toMatch(/InternalError\.Timeout/);
    expect(waits).toEqual([]);
  });
});
