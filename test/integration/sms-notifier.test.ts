import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tencentSmsProvider } from '../../shared/adapters/tencent-sms';
import { noticeChannels } from '../../shared/app/notice-channels';
import { deliverNotice, type NotifierDeps } from '../../shared/app/notifier';
import type { Logger, NoticeMessage } from '../../shared/app/ports';
import { ConfigurationError, parseConfig } from '../../shared/config/config';
import { type TestRuntime, testRuntime } from '../support/runtime';
import { type TestServices, testServices } from '../support/services';
import {
  startTencentSmsServer,
  TEST_CREDENTIALS,
  type TencentSmsServer,
} from '../support/tencent-sms-server';

// The notifier's SMS channel end to end: deliverNotice → template → Tencent Cloud SMS SDK → a
// local server playing the SendSms API. Every attempt lands in the outbox; no log line carries
// the full mobile number.

const MOBILE = '13812345678';
const SMS = {
  provider: 'tencent',
  sdkAppId: '1400006666',
  signName: '鄢陵县助企办',
  templates: {
    survey: { id: '1234567', text: '您反映的问题{caseNo}已办结，请于{deadline}前评价：{link}' },
    filed: { id: '1234568', text: '您反映的问题已受理，编号{caseNo}，查询办理进度：{link}' },
  },
};
const config = parseConfig({ publicBaseUrl: 'https://zhuqi.example.gov.cn', sms: SMS });

let server: TencentSmsServer;
let services: TestServices;
let logged: string[];
let deps: NotifierDeps;
let n = 0;

const recordingLogger: Logger = {
  info: (message, extra) => logged.push(`${message} ${JSON.stringify(extra ?? {})}`),
  warn: (message, extra) => logged.push(`${message} ${JSON.stringify(extra ?? {})}`),
  error: (message, extra) => logged.push(`${message} ${JSON.stringify(extra ?? {})}`),
};

const provider = () =>
  tencentSmsProvider({
    config: config.sms!,
    credentials: TEST_CREDENTIALS,
    http: { endpoint: server.endpoint, protocol: 'http://', agent: server.agent },
    throttleRetries: 1,
    sleep: async () => {},
  });

beforeAll(async () => {
  server = await startTencentSmsServer();
  services = await testServices(config);
  deps = {
    outbox: services.outbox,
    access: services.access,
    channels: noticeChannels({ ...services, logger: recordingLogger }, provider()),
    clock: services.clock,
    logger: recordingLogger,
  };
});
afterAll(async () => {
  await server.close();
  await services.store.close();
});
beforeEach(() => {
  server.sent.length = 0;
  server.script = [];
  logged = [];
});

function invitation(): NoticeMessage {
  n += 1;
  const caseNo = `YL-2026-${String(n).padStart(6, '0')}`;
  return {
    id: `case-${n}:survey:round0`,
    kind: 'survey',
    caseId: `case-${n}`,
    caseNo,
    recipient: { kind: 'enterprise', mobile: MOBILE },
    issuedAt: services.clock.now().toISOString(),
    subject: `满意度回访 ${caseNo}`,
    body: `您反映的问题（${caseNo}「新厂房用电增容迟迟未批」）已办结，请点击链接评价。`,
    link: `https://zhuqi.example.gov.cn/survey/token${n}abcdefghijklmnop`,
    dueAt: '2026-12-08T16:00:00.000Z',
  };
}

describe('the SMS channel of the notifier', () => {
  it('delivers an invitation once across a retry: throttled, retried by the queue, then redelivered', async () => {
    // Prepare: the provider throttles both tries of the first attempt.
    const message = invitation();
    server.script = [{ error: 'RequestLimitExceeded' }, { status: 'LimitExceeded.PhoneNumberOneHourLimit' }];

    // Act: the queue delivers, fails, delivers again, and then (at least once) a third time.
    const first = deliverNotice(deps, message);
    await expect(first).rejects.toThrow(/LimitExceeded/);
    const afterFailure = await services.outbox.get(message.id);
    services.clock.advance(60_000);
    await deliverNotice(deps, message);
    services.clock.advance(60_000);
    await deliverNotice(deps, message);

    // Assess
    expect(afterFailure).toMatchObject({ status: 'failed', channel: 'sms', attempts: 1 });
    expect(afterFailure?.lastError).toContain('138****5678');
    expect(afterFailure?.lastError).not.toContain(MOBILE);
    expect(await services.outbox.get(message.id)).toMatchObject({
      status: 'delivered',
      channel: 'sms',
      attempts: 2,
    });
    expect(server.sent).toHaveLength(3); // two throttled tries, one accepted message
    const accepted = server.sent.at(-1)!.body;
    expect(accepted).toEqual({
      PhoneNumberSet: [`+86${MOBILE}`],
      SmsSdkAppId: '1400006666',
      SignName: '鄢陵县助企办',
      TemplateId: '1234567',
      TemplateParamSet: [message.caseNo, '2026-12-09 00:00', message.link],
    });
    expect(logged.some((line) => line.startsWith('sms sent') && line.includes('138****5678'))).toBe(true);
    expect(logged.join('\n')).not.toContain(MOBILE);
  });

  it('records a number the provider refuses as rejected, and does not try it again', async () => {
    // Prepare
    const message = invitation();
    server.script = [{ status: 'InvalidParameterValue.IncorrectPhoneNumber' }];

    // Act
    await deliverNotice(deps, message);
    await deliverNotice(deps, message);

    // Assess
    expect(server.sent).toHaveLength(1);
    const entry = await services.outbox.get(message.id);
    expect(entry).toMatchObject({ status: 'rejected', channel: 'sms', attempts: 1 });
    expect(entry?.lastError).toMatch(/IncorrectPhoneNumber/);
    expect(logged.join('\n')).not.toContain(MOBILE);
  });

  it('sends nothing but the template fields: no name, title or description', async () => {
    // Prepare
    const message = invitation();

    // Act
    await deliverNotice(deps, message);

    // Assess
    const sent = JSON.stringify(server.sent[0]!.body);
    for (const personal of ['王丽', '新厂房', '鼎恒']) expect(sent).not.toContain(personal);
  });

  it('keeps a unit notice off the SMS channel', async () => {
    // Prepare
    const message = {
      ...invitation(),
      kind: 'assignment' as const,
      recipient: { kind: 'unit' as const, unitId: 'hrss' },
    };

    // Act
    await deliverNotice(deps, message);

    // Assess
    expect(server.sent).toHaveLength(0);
    expect(await services.outbox.get(message.id)).toMatchObject({ status: 'kept' });
  });

  it('refuses to start with an sms section but no provider, or no public base URL for its links', () => {
    // Act
    const noProvider = () => noticeChannels({ ...services, config });
    const noBase = () => noticeChannels({ ...services, config: parseConfig({ sms: SMS }) }, provider());

    // Assess
    expect(noProvider).toThrow(ConfigurationError);
    expect(noBase).toThrow(/publicBaseUrl/);
  });

  it('refuses a template with any other field than the allowed ones', () => {
    // Act
    const parse = () =>
      parseConfig({
        sms: { ...SMS, templates: { survey: { id: '1', text: '{contactName}您好，请评价：{link}' } } },
      });

    // Assess
    expect(parse).toThrow(/sms\.templates\.survey\.text/);
  });
});

describe('SMS on the running platform', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await testRuntime({ config, smsProvider: provider() });
  });
  afterAll(() => rt.close());

  it('texts the filing confirmation with the tracking link, then the survey invitation with its link', async () => {
    // Prepare
    server.sent.length = 0;

    // Act
    const filed = await rt.file();
    await rt.api('POST', `/api/v1/office/cases/${filed.id}/triage`, {
      as: 'office',
      body: { level: 'department', unitId: 'power-supply' },
    });
    await rt.settle();
    await rt.api('POST', `/api/v1/unit/cases/${filed.id}/accept`, { as: 'power-supply', body: {} });
    await rt.settle();
    await rt.api('POST', `/api/v1/unit/cases/${filed.id}/resolve`, {
      as: 'power-supply',
      body: { resolution: '已送电' },
    });
    await rt.settle();

    // Assess
    const record = await rt.get(filed.id);
    expect(server.sent.map((s) => s.body.TemplateId)).toEqual(['1234568', '1234567']);
    expect(server.sent[0]!.body.TemplateParamSet).toEqual([
      filed.caseNo,
      `https://zhuqi.example.gov.cn/track/${filed.caseNo}?k=${record.trackingKey}`,
    ]);
    expect(server.sent[1]!.body.TemplateParamSet?.[2]).toBe(
      `https://zhuqi.example.gov.cn/survey/${record.survey!.token}`,
    );
    const outbox = await rt.services.outbox.list(10, filed.id);
    expect(outbox.filter((e) => e.channel === 'sms').map((e) => [e.kind, e.status])).toEqual([
      ['survey', 'delivered'],
      ['filed', 'delivered'],
    ]);
  });
});
