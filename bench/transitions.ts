// What a case costs (issue target 6): its state transitions, counted from the execution events of
// the very definition Step Functions runs, and everything else it uses on AWS — Lambda invocations,
// DynamoDB write and read units (the indexes' writes included), queue messages, HTTP requests —
// counted in the embedded runtime as the people of a case use it, priced by bench/cost-model.ts.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE_DESIGN } from '../shared/store/keys';
import { workflowDefinition } from '../shared/workflow/definition';
import { type TestRuntime, testRuntime } from '../test/support/runtime';
import { type CaseUsage, costPerThousand } from './cost-model';
import { type Figure, fmt } from './support';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TASK_STATES = new Set(
  Object.entries(workflowDefinition().States)
    .filter(([, state]) => state.Type === 'Task')
    .map(([name]) => name),
);

/** The store's consumption as DynamoDB would bill it; the embedded queues' items are SQS on AWS, not counted. */
interface Meter {
  tableWriteUnits: number;
  indexWriteUnits: number;
  readUnits: number;
}

/**
 * Counts write and read units of every request the runtime sends its store. Item sizes are
 * DynamoDB's own count (dynalite's ConsumedCapacity); an index is written again, at the item's
 * size, for every item write that has the index's key (twice when the key changes: a delete and a
 * put), which is what an index projecting every attribute costs.
 */
function meterStore(db: DynamoDBDocumentClient): Meter {
  const meter: Meter = { tableWriteUnits: 0, indexWriteUnits: 0, readUnits: 0 };
  const indexKeys = new Map<string, Record<string, unknown>>();
  const itemKey = (key: { pk?: unknown; sk?: unknown }) => `${String(key.pk)}|${String(key.sk)}`;
  // Every repository holds this one client: its `send` is where every request passes.
  const client = db as unknown as { send(command: unknown): Promise<unknown> };
  const send = client.send.bind(client);
  client.send = async (command) => {
    const { input } = command as { input: Record<string, unknown> };
    const name = (command as object).constructor.name;
    const key = (input.Item ?? input.Key) as { pk?: unknown; sk?: unknown } | undefined;
    const queued = JSON.stringify(key ?? input.ExpressionAttributeValues ?? {}).includes('QUEUE#');
    input.ReturnConsumedCapacity = 'TOTAL';
    const result = await send(command);
    if (queued) return result;
    const units =
      (result as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity?.CapacityUnits ?? 0;
    if (/^(Get|Query|BatchGet|Scan)/.test(name)) {
      meter.readUnits += units;
    } else if (key && /^(Put|Update|Delete)/.test(name)) {
      meter.tableWriteUnits += units;
      const before = indexKeys.get(itemKey(key)) ?? {};
      const after: Record<string, unknown> = name.startsWith('Put')
        ? Object.fromEntries(
            TABLE_DESIGN.indexes.map((i) => [
              i.indexName,
              (input.Item as Record<string, unknown>)[i.partitionKey],
            ]),
          )
        : name.startsWith('Delete')
          ? {}
          : before;
      for (const { indexName } of TABLE_DESIGN.indexes) {
        const was = before[indexName];
        const is = after[indexName];
        if (is !== undefined) meter.indexWriteUnits += units * (was !== undefined && was !== is ? 2 : 1);
        else if (was !== undefined) meter.indexWriteUnits += units;
      }
      indexKeys.set(itemKey(key), after);
    }
    return result;
  };
  return meter;
}

type Path = 'at once' | 'days apart' | 'supervised';

/**
 * One case through its common path — filed, triaged, accepted, progress reported, resolved,
 * surveyed satisfied — with the page views of the people who act on it: answers at once; answers
 * days apart as people give them (checkpoints armed before an answer then time out); or with two
 * supervision checkpoints passing (a yellow warning in triage, one while the unit works).
 */
async function walk(rt: TestRuntime, meter: Meter, path: Path): Promise<CaseUsage> {
  const before = { ...meter };
  let requests = 0;
  const call = async (method: string, url: string, as?: string, body?: unknown) => {
    requests++;
    const response = await rt.api(method, url, { ...(as ? { as } : {}), ...(body ? { body } : {}) });
    if (response.status >= 400) throw new Error(`bench: ${method} ${url} → ${response.status}`);
    await response.arrayBuffer();
    await rt.settle();
  };
  const later = async (ms: number) => rt.advanceTo(new Date(rt.clock.now().getTime() + ms));
  const apart = (ms: number) => (path === 'days apart' ? ms : 60_000);
  // A warning is due at its instant; the wait for it is armed in whole seconds, so it ends within one.
  const warnAt = async (id: string, clock: string) =>
    Date.parse((await rt.get(id)).clocks.find((c) => c.id === clock && !c.metAt)!.warnAt) + 1000;

  // The enterprise opens the form and files; the office reads its queue, the case, and triages.
  requests += 2; // GET / and the POST that rt.file sends
  await rt.api('GET', '/').then((r) => r.arrayBuffer());
  const { id, caseNo, trackingUrl } = await rt.file({ title: `成本测算（${path}）` });
  const key = new URL(trackingUrl).searchParams.get('k');
  if (path === 'supervised') await rt.advanceTo(new Date(await warnAt(id, 'triage')));
  else await later(apart(2 * HOUR));
  await call('GET', '/api/v1/office/cases?status=triage', 'office');
  await call('GET', `/api/v1/office/cases/${id}`, 'office');
  await call('POST', `/api/v1/office/cases/${id}/triage`, 'office', {
    level: 'department',
    unitId: 'power-supply',
  });

  // The unit reads its list and the case, accepts, reports progress; the enterprise looks in.
  await later(apart(2 * HOUR));
  await call('GET', '/api/v1/unit/cases', 'power-supply');
  await call('GET', `/api/v1/unit/cases/${id}`, 'power-supply');
  await call('POST', `/api/v1/unit/cases/${id}/accept`, 'power-supply', {});
  await later(apart(DAY));
  await call('POST', `/api/v1/unit/cases/${id}/progress`, 'power-supply', { note: '已现场勘查' });
  await call('GET', `/track/${caseNo}?k=${key}`);
  if (path === 'supervised') await rt.advanceTo(new Date(await warnAt(id, 'resolve')));
  else await later(apart(3 * DAY));
  await call('POST', `/api/v1/unit/cases/${id}/resolve`, 'power-supply', { resolution: '已解决' });

  // The enterprise opens its tracking page, follows the invitation and answers.
  await later(apart(DAY));
  await call('GET', `/track/${caseNo}?k=${key}`);
  const record = await rt.get(id);
  await call('GET', `/survey/${record.survey!.token}`);
  await call('POST', `/survey/${record.survey!.token}`, undefined, {
    solved: 'yes',
    satisfaction: 'satisfied',
  });

  const closed = await rt.get(id);
  if (closed.status !== 'closed') throw new Error(`bench: the case ended ${closed.status}, not closed`);
  const warnings = closed.notices.filter((n) => n.kind === 'warning').length;
  if (warnings !== (path === 'supervised' ? 2 : 0))
    throw new Error(`bench: ${warnings} warnings on the ${path} path`);
  const states = rt.trace.paths.get(id) ?? [];
  return {
    transitions: states.length,
    invocations: {
      api: requests,
      intake: 1,
      workflowTask: states.filter((s) => TASK_STATES.has(s)).length,
      notifier: closed.notices.length,
    },
    httpRequests: requests,
    tableWriteUnits: meter.tableWriteUnits - before.tableWriteUnits,
    indexWriteUnits: meter.indexWriteUnits - before.indexWriteUnits,
    readUnits: meter.readUnits - before.readUnits,
    queueMessages: 1 + closed.notices.length,
  };
}

export async function transitionFigures(): Promise<Figure[]> {
  // A start with milliseconds, as real instants have: waits are armed in whole seconds.
  const rt = await testRuntime({ start: '2026-11-23T02:00:00.417Z' });
  try {
    const meter = meterStore(rt.store.db);
    const section = 'workflow cost per case';
    const figures: Figure[] = [];
    const usd = (n: number) => `US$${fmt(n, 3)}`;
    for (const [path, label, goal] of [
      ['at once', 'common path, answers at once', undefined],
      ['days apart', 'common path, answers days apart', { transitions: 12, usd: 0.5 }],
      ['supervised', 'with two supervision checkpoints', { transitions: 18, usd: 0.75 }],
    ] as const) {
      const usage = await walk(rt, meter, path);
      const cost = costPerThousand(usage);
      const l = cost.lines;
      figures.push({
        section,
        figure: `${label}: state transitions`,
        value: String(usage.transitions),
        baseline: `${usage.invocations.workflowTask} task invocations`,
        goal: goal ? `≤ ${goal.transitions}` : '',
        ...(goal ? { met: usage.transitions <= goal.transitions } : {}),
      });
      figures.push({
        section,
        figure: `${label}: US$ per 1,000 cases, all services`,
        value: usd(cost.total),
        baseline:
          `SFN ${usd(l.stepFunctions)} · DynamoDB ${usd(l.dynamoDb)} (${fmt(usage.tableWriteUnits + usage.indexWriteUnits, 0)} WRU, ` +
          `${fmt(usage.indexWriteUnits, 0)} of them indexes) · Lambda ${usd(l.lambda)} · X-Ray ${usd(l.xray)} · ` +
          `logs ${usd(l.logs)} · HTTP ${usd(l.httpApi)} · SQS ${usd(l.sqs)}`,
        goal: goal ? `≤ ${usd(goal.usd)}` : '',
        ...(goal ? { met: cost.total <= goal.usd } : {}),
      });
    }
    return figures;
  } finally {
    await rt.close();
  }
}
