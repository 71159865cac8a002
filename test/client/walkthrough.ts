/**
 * The README walkthrough (office, unit, enterprise) as an integrator writes it: a client typed by
 * `openapi-typescript` from the served /openapi.json and `openapi-fetch`, with no cast and no
 * hand-written API type. test/integration/typed-client.test.ts generates the types, compiles this
 * file with --strict and runs it against the embedded runtime.
 */
import createClient from 'openapi-fetch';
import type { paths } from './generated/zhuqi-api';

/** The data of a successful answer; anything else stops the walkthrough with what the API said. */
function ok<T>(answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.data === undefined) {
    throw new Error(
      `${answer.response.url} answered ${answer.response.status}: ${JSON.stringify(answer.error)}`,
    );
  }
  return answer.data;
}

export async function walkthrough(options: {
  baseUrl: string;
  officeKey: string;
  /** Lets the workflow take the case up between steps (the runtime's queues and timers). */
  settle: () => Promise<void>;
  fetch?: typeof fetch;
}) {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const office = { headers: { Authorization: `Bearer ${options.officeKey}` } };

  // 1. An enterprise files a problem.
  const filed = ok(
    await client.POST('/api/v1/cases', {
      params: { header: { 'idempotency-key': 'walkthrough-1' } },
      body: {
        enterprise: { name: '鄢陵县鼎恒纺织有限公司', creditCode: '91350100M000100Y43', township: 'anling' },
        contact: { name: '王丽', mobile: '13812345678' },
        category: 'utilities',
        title: '新厂房用电增容迟迟未批',
        description: '新厂房年初建成，用电增容申请已提交两个月，至今没有答复，影响投产。',
      },
    }),
  );
  await options.settle();

  // 2. The office sees it awaiting triage, with the routing rule's suggestion, and assigns it.
  const queue = ok(
    await client.GET('/api/v1/office/cases', { params: { query: { status: 'triage' } }, ...office }),
  );
  if (!queue.items.some((item) => item.id === filed.id)) throw new Error('the case is not awaiting triage');
  const seen = ok(
    await client.GET('/api/v1/office/cases/{id}', { params: { path: { id: filed.id } }, ...office }),
  );
  const unitId = seen.suggestion?.unitId ?? 'power-supply';
  ok(
    await client.POST('/api/v1/office/cases/{id}/triage', {
      params: { path: { id: filed.id } },
      body: { level: seen.suggestion?.level ?? 'department', unitId },
      ...office,
    }),
  );
  await options.settle();

  // 3. The office gives the unit a key; the unit sees its case and answers.
  const issued = ok(
    await client.POST('/api/v1/office/units/{unitId}/keys', {
      params: { path: { unitId } },
      body: { label: '对接系统' },
      ...office,
    }),
  );
  const unit = { headers: { Authorization: `Bearer ${issued.key}` } };
  const mine = ok(await client.GET('/api/v1/unit/cases', { params: { query: { limit: 50 } }, ...unit }));
  if (!mine.items.some((item) => item.id === filed.id)) throw new Error('the unit does not see its case');
  const path = { path: { id: filed.id } };
  ok(await client.POST('/api/v1/unit/cases/{id}/accept', { params: path, body: {}, ...unit }));
  ok(
    await client.POST('/api/v1/unit/cases/{id}/progress', {
      params: path,
      body: { note: '已现场勘查' },
      ...unit,
    }),
  );
  await options.settle();

  // 4. The outbox holds the assignment notice.
  const notices = ok(
    await client.GET('/api/v1/office/outbox', { params: { query: { caseId: filed.id } }, ...office }),
  );

  // 5. The unit resolves; the enterprise gets a one-time survey link.
  ok(
    await client.POST('/api/v1/unit/cases/{id}/resolve', {
      params: path,
      body: { resolution: '增容已批复' },
      ...unit,
    }),
  );
  await options.settle();
  const after = ok(
    await client.GET('/api/v1/office/outbox', { params: { query: { caseId: filed.id } }, ...office }),
  );
  const link = after.items.find((notice) => notice.kind === 'survey')?.link;
  if (!link) throw new Error('no survey link in the outbox');

  // 6. The enterprise answers the survey.
  const token = new URL(link).pathname.split('/').pop() ?? '';
  const rated = ok(
    await client.POST('/survey/{token}', {
      params: { path: { token } },
      body: { solved: 'yes', satisfaction: 'satisfied' },
    }),
  );
  // The same URL serves people: a browser (Accept: text/html) would get the thanks page instead.
  if (typeof rated === 'string') throw new Error('the survey answered with a page, not JSON');
  await options.settle();

  // 7. The tracking link shows the whole public history.
  const k = new URL(filed.trackingUrl).searchParams.get('k') ?? '';
  const tracked = ok(
    await client.GET('/api/v1/cases/{caseNo}', { params: { path: { caseNo: filed.caseNo }, query: { k } } }),
  );

  return {
    caseNo: filed.caseNo,
    assignedTo: unitId,
    noticeKinds: notices.items.map((notice) => notice.kind),
    rating: rated.rating,
    status: tracked.status,
    history: tracked.history.map((entry) => entry.action),
  };
}
