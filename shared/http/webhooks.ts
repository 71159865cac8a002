import { type OpenAPIHono, z } from '@hono/zod-openapi';
import type { NoticeKind } from '../domain/case';
import { unitNoticeSchema } from './case-schemas';

/** The notices pushed to a unit's webhook (the survey invitation and filing confirmation go to the enterprise). */
const UNIT_NOTICES: Record<Exclude<NoticeKind, 'survey' | 'filed'>, { summary: string; body: string }> = {
  assignment: {
    summary: 'Assignment notice (交办单): a case is assigned to the unit',
    body: '【交办单】YL-2026-000123「新厂房用电增容迟迟未批」（鄢陵县鼎恒纺织有限公司）已交办至县供电公司。请于 2026-11-26 18:00 前反馈进展，2026-12-02 18:00 前办结。',
  },
  warning: {
    summary: 'Yellow warning (黄牌预警): a deadline of the unit is near',
    body: '【督办单（黄牌预警）】YL-2026-000123「新厂房用电增容迟迟未批」（鄢陵县鼎恒纺织有限公司）反馈进展期限将于 2026-11-26 18:00 届满，请抓紧办理。',
  },
  overdue: {
    summary: 'Red notice (督办单): a deadline of the unit has passed',
    body: '【督办单（红牌超期）】YL-2026-000123「新厂房用电增容迟迟未批」（鄢陵县鼎恒纺织有限公司）已超过反馈进展期限（2026-11-26 18:00），现予督办，请立即办理并反馈。',
  },
  escalation: {
    summary: 'Escalation (升级督办): sent to the unit of the supervising leader',
    body: '【升级督办】YL-2026-000123「新厂房用电增容迟迟未批」（鄢陵县鼎恒纺织有限公司）超期未反馈进展（期限 2026-11-26 18:00），承办单位：县供电公司，提请领导督办。',
  },
  extension_decision: {
    summary: "The office's answer to the unit's extension request (延期申请答复)",
    body: '【延期申请答复】YL-2026-000123「新厂房用电增容迟迟未批」（鄢陵县鼎恒纺织有限公司）延期申请已同意，新的办结期限为 2026-12-09 18:00。',
  },
};

export const WEBHOOK_DELIVERY = `The notifier POSTs each notice for a unit, as JSON, to the unit's \`webhookUrl\` (set by the office with \`PATCH /api/v1/office/units/{unitId}\`, which shows the signing secret once).

**Signature.** \`Zhuqi-Signature: t=<unix seconds>,v1=<hex>\`, where \`<hex>\` is the HMAC-SHA256, keyed with the unit's webhook secret, of \`<t>.<the raw body>\`. Compute it over the bytes received (not re-serialised JSON), compare in constant time, and refuse a \`t\` more than 5 minutes away from your clock. The README has a verification example.

**Delivered** means an answer with a 2xx status within 10 seconds. Redirects are not followed: a 3xx, a 4xx, a 5xx, a timeout or a refused connection is a failed attempt.

**Retries.** A failed attempt is retried by the notices queue after its visibility timeout, up to 5 attempts in all; then the message moves to the dead-letter queue (the dead-letter list of the embedded runtime) for the operators. The office's outbox (\`GET /api/v1/office/outbox\`) shows every notice with its status (\`failed\`, \`lastError\`, \`attempts\`), so no notice is lost silently.

**At least once.** A notice can arrive more than once (a retry after your 2xx was lost, a restart). Every delivery of one notice carries the same \`id\` and \`Zhuqi-Notice-Id\`: keep the ids you have processed and ignore a repeat.`;

/** Documents the unit webhooks in the OpenAPI 3.1 `webhooks` section, one per notice kind. */
export function registerWebhooks(registry: OpenAPIHono['openAPIRegistry']) {
  for (const [kind, { summary, body }] of Object.entries(UNIT_NOTICES) as [
    keyof typeof UNIT_NOTICES,
    (typeof UNIT_NOTICES)[keyof typeof UNIT_NOTICES],
  ][]) {
    const schema = unitNoticeSchema(kind).meta({ id: `${pascal(kind)}Notice` });
    registry.registerWebhook({
      method: 'post',
      path: kind,
      operationId: `${camel(kind)}Notice`,
      summary,
      description: WEBHOOK_DELIVERY,
      tags: ['webhooks'],
      security: [],
      request: {
        headers: z.object({
          'zhuqi-notice-id': z.string().meta({
            description: 'the id of the notice, the same on every delivery of it',
            example: `k7q2m4x9a3b5c6d8e2f4:${kind}:1`,
          }),
          'zhuqi-signature': z.string().meta({
            description:
              '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the webhook secret>`',
            example: 't=1795400000,v1=5f0c0e6a3b9d4c1e8f7a2b6d9e0c4a1b3d5e7f9a0b2c4d6e8f1a3b5c7d9e0f2a',
          }),
          'user-agent': z.string().meta({ example: 'zhuqi-notifier' }),
        }),
        body: {
          required: true,
          content: {
            'application/json': {
              schema,
              example: {
                id: `k7q2m4x9a3b5c6d8e2f4:${kind}:1`,
                kind,
                caseId: 'k7q2m4x9a3b5c6d8e2f4',
                caseNo: 'YL-2026-000123',
                recipient: { kind: 'unit', unitId: kind === 'escalation' ? 'leader' : 'power-supply' },
                issuedAt: '2026-11-23T02:00:00.000Z',
                subject: `${body.slice(1, body.indexOf('】'))} YL-2026-000123`,
                body,
              },
            },
          },
        },
      },
      responses: {
        200: { description: 'any 2xx within 10 seconds: delivered' },
        400: { description: 'a 4xx (or a 3xx, a 5xx, no answer): a failed attempt, retried' },
      },
    });
  }
}

const camel = (kind: string) => kind.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
const pascal = (kind: string) => camel(kind).replace(/^\w/, (c) => c.toUpperCase());
