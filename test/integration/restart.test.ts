import { afterEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../shared/app/secrets';
import { parseCaseNo } from '../../shared/domain/case-number';
import { startLocalStore } from '../../shared/embedded/local-store';
import { AccessRepository } from '../../shared/store/access-repository';
import { validFiling } from '../support/fixtures';
import { json } from '../support/http';
import { poll, processHarness, type Zhuqi } from '../support/process';

const zhuqi = processHarness();
afterEach(() => zhuqi.cleanUp());

const newDataDir = () => zhuqi.newDataDir();
const startZhuqi = (dataDir: string, env: Record<string, string> = {}) => zhuqi.start(dataDir, env);
const stop = (running: Zhuqi) => zhuqi.stop(running);
const crash = (running: Zhuqi) => zhuqi.crash(running);

interface Filed {
  caseNo: string;
  title: string;
  key: string;
}

async function fileCase(url: string, title: string): Promise<Filed> {
  const response = await fetch(`${url}/api/v1/cases`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...validFiling(), title }),
  });
  expect(response.status).toBe(201);
  const body = await json(response);
  return { caseNo: body.caseNo, title, key: new URL(body.trackingUrl).searchParams.get('k')! };
}

async function fileThree(url: string): Promise<Filed[]> {
  const filed: Filed[] = [];
  for (const title of ['用电增容迟迟未批', '厂区道路需要修缮', '招工困难需要对接'])
    filed.push(await fileCase(url, title));
  return filed;
}

/** What the enterprise sees through its links after the restart. */
async function expectTrackable(url: string, filed: Filed): Promise<void> {
  const k = encodeURIComponent(filed.key);
  const api = await fetch(`${url}/api/v1/cases/${filed.caseNo}?k=${k}`);
  expect(api.status).toBe(200);
  expect(await json(api)).toMatchObject({ caseNo: filed.caseNo, title: filed.title });
  const page = await fetch(`${url}/track/${filed.caseNo}?k=${k}`);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain(filed.caseNo);
  expect(html).toContain(filed.title);
}

/** The office keys kept in a data directory whose runtime has stopped. */
async function officeKeyHashes(dataDir: string): Promise<string[]> {
  const store = await startLocalStore(dataDir);
  try {
    const keys = await new AccessRepository(store.db, store.tableName).listApiKeys({ role: 'office' });
    return keys.map((k) => k.hash);
  } finally {
    await store.close();
  }
}

const OFFICE_KEY_LINE = /Office API key[^\n]*\n\s*(zq_office_\S+)/;
const sequenceOf = (caseNo: string) => parseCaseNo(caseNo)!.sequence;

describe('the embedded runtime restarted on the same data directory', () => {
  it('keeps cases, tracking links, the case numbering and the office key after a clean stop', {
    timeout: 90_000,
  }, async () => {
    // Prepare
    const dataDir = newDataDir();
    const officeKey = `zq_office_restart-test-${Date.now()}`;
    const first = await startZhuqi(dataDir, { ZHUQI_BOOTSTRAP_OFFICE_KEY: officeKey });
    const filed = await fileThree(first.url);

    // Act
    const stopped = await stop(first);
    const second = await startZhuqi(dataDir, { ZHUQI_BOOTSTRAP_OFFICE_KEY: officeKey });
    const next = await fileCase(second.url, '停车场扩建审批');

    // Assess
    expect(stopped, first.output()).toBe(0);
    expect(first.stdout()).toContain('SIGTERM: stopping');
    for (const filedCase of filed) await expectTrackable(second.url, filedCase);
    expect(filed.map((f) => sequenceOf(f.caseNo))).toEqual([1, 2, 3]);
    expect(next.caseNo).toBe(filed[2]!.caseNo.replace(/\d{6}$/, '000004'));
    expect(await stop(second), second.output()).toBe(0);
    // A key the operator supplied is never echoed, and the second start creates no other.
    expect(first.stdout() + second.stdout()).not.toContain(officeKey);
    expect(second.stdout()).not.toContain('Office API key');
    expect(await officeKeyHashes(dataDir)).toEqual([sha256(officeKey)]);
  });

  it('keeps cases, tracking links, the case numbering and the office key after a crash', {
    timeout: 90_000,
  }, async () => {
    // Prepare
    const dataDir = newDataDir();
    const first = await startZhuqi(dataDir);
    const printedKey = await poll(
      'the generated office key',
      () => OFFICE_KEY_LINE.exec(first.stdout())?.[1],
    );
    const filed = await fileThree(first.url);

    // Act
    await crash(first);
    const second = await startZhuqi(dataDir);
    const next = await fileCase(second.url, '停车场扩建审批');

    // Assess
    for (const filedCase of filed) await expectTrackable(second.url, filedCase);
    expect(sequenceOf(next.caseNo)).toBe(sequenceOf(filed[2]!.caseNo) + 1);
    expect(await stop(second), second.output()).toBe(0);
    expect(first.stdout().match(/zq_office_/g)).toHaveLength(1);
    expect(second.stdout()).not.toContain('Office API key');
    expect(second.stdout()).not.toContain(printedKey);
    expect(await officeKeyHashes(dataDir)).toEqual([sha256(printedKey)]);
  });
});
