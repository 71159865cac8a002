import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ASSUMPTIONS, costPerThousand, PRICE_LIST } from '../../bench/cost-model';

const doc = readFileSync(new URL('../../docs/workflow-cost.md', import.meta.url), 'utf8');

describe('the cost model of a case', () => {
  it('is documented with the very prices, region and date the bench uses', () => {
    expect(doc).toContain(PRICE_LIST.region);
    expect(doc).toContain(PRICE_LIST.publishedOn);
    const table = doc.slice(doc.indexOf('<!-- price-list'), doc.indexOf('## What is assumed'));
    const rows = table
      .split('\n')
      .filter((line) => line.startsWith('| ') && !/^\| (item|-)/.test(line))
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    expect(rows).toEqual(Object.values(PRICE_LIST.prices).map(({ unit, source }) => [unit, source]));
    expect(doc).toContain(`${ASSUMPTIONS.initMs} ms of initialisation`);
  });

  it('prices each service from its own count', () => {
    const none = {
      transitions: 0,
      invocations: { api: 0, intake: 0, workflowTask: 0, notifier: 0 },
      httpRequests: 0,
      tableWriteUnits: 0,
      indexWriteUnits: 0,
      readUnits: 0,
      queueMessages: 0,
    };
    const base = costPerThousand(none);
    // 1,000 cases of 12 transitions at $0.025 per 1,000 transitions.
    expect(costPerThousand({ ...none, transitions: 12 }).lines.stepFunctions).toBeCloseTo(0.3, 10);
    // 1,000 cases of 1,000 write units at $0.625 per million.
    expect(
      costPerThousand({ ...none, tableWriteUnits: 400, indexWriteUnits: 600 }).lines.dynamoDb,
    ).toBeCloseTo(0.625, 10);
    expect(costPerThousand({ ...none, httpRequests: 20 }).lines.httpApi).toBeCloseTo(0.02, 10);
    const withApi = costPerThousand({ ...none, invocations: { ...none.invocations, api: 1 } });
    expect(withApi.lines.lambda).toBeGreaterThan(base.lines.lambda);
    expect(withApi.total).toBeCloseTo(
      Object.values(withApi.lines).reduce((a, b) => a + b, 0),
      12,
    );
  });
});
