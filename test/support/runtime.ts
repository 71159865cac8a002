import { issueApiKey } from '../../shared/app/access';
import type { SmsProvider } from '../../shared/app/sms';
import { parseConfig, type ZhuqiConfig } from '../../shared/config/config';
import type { CaseRecord } from '../../shared/domain/case';
import { consoleLogger } from '../../shared/embedded/console-logger';
import { ManualClock } from '../../shared/embedded/manual-clock';
import { type Runtime, startRuntime } from '../../shared/embedded/runtime';
import { advanceTo as advanceRuntimeTo, settle as settleRuntime } from '../../shared/embedded/test-clock';
import { validFiling } from './fixtures';
import { contractFetch } from './http';

export const OFFICE_KEY = 'zq_office_test-office-key-0123456789';

export interface TestRuntime extends Runtime {
  clock: ManualClock;
  /**
   * Every state any execution entered, states entered per case (transitions) and their names in
   * order (paths), and every execution failure.
   */
  trace: {
    entered: Set<string>;
    transitions: Map<string, number>;
    paths: Map<string, string[]>;
    failures: string[];
  };
  /** Calls the API as the office, a unit (by id) or the public. */
  api(method: string, path: string, options?: { as?: 'office' | string; body?: unknown }): Promise<Response>;
  /** Files a case through the public API and returns its id and tracking link. */
  file(overrides?: Record<string, unknown>): Promise<{ id: string; caseNo: string; trackingUrl: string }>;
  get(id: string): Promise<CaseRecord>;
  /** Waits until every queue is drained and every execution is parked at a wait. */
  settle(): Promise<void>;
  /** Moves the clock (firing the workflow's timers) and settles after every timer. */
  advanceTo(at: string | Date): Promise<void>;
}

/** The embedded runtime in memory, on a manual clock that drives the workflow's timers. */
export async function testRuntime(
  options: { config?: ZhuqiConfig; start?: string; dataDir?: string; smsProvider?: SmsProvider } = {},
): Promise<TestRuntime> {
  const clock = new ManualClock(options.start ?? '2026-11-23T02:00:00Z'); // Monday 10:00 in China
  const trace = {
    entered: new Set<string>(),
    transitions: new Map<string, number>(),
    paths: new Map<string, string[]>(),
    failures: [] as string[],
  };
  const runtime = await startRuntime({
    workflowObserver: (event) => {
      if (event.type === 'StateEntered' && event.state) {
        trace.entered.add(event.state);
        trace.transitions.set(event.caseId, (trace.transitions.get(event.caseId) ?? 0) + 1);
        trace.paths.set(event.caseId, [...(trace.paths.get(event.caseId) ?? []), event.state]);
      }
      if (event.type === 'ExecutionFailed') trace.failures.push(`${event.caseId}: ${event.error}`);
    },
    config: options.config ?? parseConfig({}),
    ...(options.smsProvider ? { smsProvider: options.smsProvider } : {}),
    port: 0,
    dataDir: options.dataDir,
    bootstrapOfficeKey: OFFICE_KEY,
    clock,
    scheduler: clock,
    logger: consoleLogger({ silent: !process.env.ZHUQI_TEST_LOGS }),
  });
  const unitKeys = new Map<string, string>();
  const keyFor = async (as: string) => {
    if (as === 'office') return OFFICE_KEY;
    if (!unitKeys.has(as)) {
      unitKeys.set(
        as,
        (await issueApiKey(runtime.services, { role: 'unit', unitId: as, label: 'test' })).key,
      );
    }
    return unitKeys.get(as)!;
  };

  const settle = () => settleRuntime(runtime);

  // Every answer the integration tests receive is checked against the served /openapi.json.
  const checkedFetch = contractFetch(runtime.url);
  const api: TestRuntime['api'] = async (method, path, { as, body } = {}) =>
    checkedFetch(`${runtime.url}${path}`, {
      method,
      headers: {
        ...(as ? { Authorization: `Bearer ${await keyFor(as)}` } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  return {
    ...runtime,
    clock,
    trace,
    api,
    settle,
    async file(overrides = {}) {
      const response = await api('POST', '/api/v1/cases', { body: { ...validFiling(), ...overrides } });
      if (response.status !== 201)
        throw new Error(`filing failed: ${response.status} ${await response.text()}`);
      const filed = (await response.json()) as { id: string; caseNo: string; trackingUrl: string };
      await settle();
      return filed;
    },
    async get(id) {
      const record = await runtime.services.cases.get(id);
      if (!record) throw new Error(`no case ${id}`);
      return record;
    },
    async advanceTo(at) {
      await advanceRuntimeTo(clock, runtime, new Date(at));
    },
  };
}
