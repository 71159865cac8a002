// State transitions a case costs (issue target 6), counted from the execution events of the very
// definition Step Functions runs: the common path, and the same with two supervision checkpoints.
import { testRuntime } from '../test/support/runtime';
import { type Figure, fmt } from './support';

/** US$ per state transition, Step Functions Standard (us-east-1 list price, 2025: $0.025 per 1,000). */
const PRICE = 0.025 / 1000;

export async function transitionFigures(): Promise<Figure[]> {
  const rt = await testRuntime();
  try {
    const path = async (checkpoints: boolean) => {
      const { id } = await rt.file({ title: checkpoints ? '有督办的问题' : '顺利办结的问题' });
      const passCheckpoint = async () => rt.advanceTo((await rt.get(id)).wait!.dueAt!);
      if (checkpoints) await passCheckpoint(); // a warning while it waits for triage
      await rt.api('POST', `/api/v1/office/cases/${id}/triage`, {
        as: 'office',
        body: { level: 'department', unitId: 'power-supply' },
      });
      await rt.settle();
      for (const [answer, body] of [
        ['accept', {}],
        ['progress', { note: '已现场勘查' }],
      ] as const) {
        await rt.api('POST', `/api/v1/unit/cases/${id}/${answer}`, { as: 'power-supply', body });
        await rt.settle();
      }
      if (checkpoints) await passCheckpoint(); // a warning while the unit works
      await rt.api('POST', `/api/v1/unit/cases/${id}/resolve`, {
        as: 'power-supply',
        body: { resolution: '已解决' },
      });
      await rt.settle();
      const token = (await rt.get(id)).survey!.token;
      await rt.api('POST', `/survey/${token}`, { body: { solved: 'yes', satisfaction: 'satisfied' } });
      await rt.settle();
      const status = (await rt.get(id)).status;
      if (status !== 'closed') throw new Error(`bench: the case ended ${status}, not closed`);
      return rt.trace.transitions.get(id) ?? 0;
    };
    const common = await path(false);
    const supervised = await path(true);
    const section = 'workflow transitions per case';
    const cost = (n: number) => `US$${fmt(n * PRICE * 1000, 3)} per 1,000 cases`;
    return [
      {
        section,
        figure: 'common path (triage, accept, progress, resolve, satisfied)',
        value: String(common),
        baseline: cost(common),
        goal: '≤ 12',
        met: common <= 12,
      },
      {
        section,
        figure: 'with two supervision checkpoints',
        value: String(supervised),
        baseline: cost(supervised),
        goal: '≤ 18',
        met: supervised <= 18,
      },
    ];
  } finally {
    await rt.close();
  }
}
