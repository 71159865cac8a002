import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { readDeploySettings } from '../../infra/settings';

const settingsOf = (context: Record<string, unknown>) => readDeploySettings(new App({ context }).node);

describe('deployment settings from CDK context', () => {
  it('default to the dev stage with nothing else set', () => {
    expect(settingsOf({})).toEqual({ stage: 'dev' });
  });

  it('take stage, alarm e-mail and public base URL, and refuse malformed ones', () => {
    expect(
      settingsOf({ stage: 'prod', alarmEmail: 'ops@example.org', publicBaseUrl: 'https://zhuqi.example/' }),
    ).toEqual({ stage: 'prod', alarmEmail: 'ops@example.org', publicBaseUrl: 'https://zhuqi.example' });
    expect(() => settingsOf({ stage: 'Prod_1' })).toThrow(/stage=Prod_1/);
    expect(() => settingsOf({ alarmEmail: 'ops' })).toThrow(/alarmEmail/);
    expect(() => settingsOf({ publicBaseUrl: 'zhuqi.example' })).toThrow(/publicBaseUrl/);
  });

  it('read the configuration file as compact JSON, validated as the functions will read it', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'zhuqi-settings-'));
    const write = (name: string, value: unknown) => {
      const file = join(dir, name);
      writeFileSync(file, JSON.stringify(value, null, 2));
      return file;
    };
    const good = write('good.json', { caseNoPrefix: 'XC' });
    const bad = write('bad.json', { caseNoPrefix: 'xc' });
    const huge = write('huge.json', {
      caseNoPrefix: 'XC',
      calendar: { holidays: Array(400).fill('2027-01-01') },
    });

    // Act, Assess
    expect(settingsOf({ configFile: good }).zhuqiConfig).toBe('{"caseNoPrefix":"XC"}');
    expect(() => settingsOf({ configFile: bad })).toThrow(/caseNoPrefix/);
    expect(() => settingsOf({ configFile: huge })).toThrow(/4 KB/);
    expect(() => settingsOf({ configFile: join(dir, 'missing.json') })).toThrow(/configFile/);
  });

  it('take a configuration of up to 3,000 bytes of compact JSON and refuse one byte more', () => {
    // Prepare: a configuration padded to an exact size with the path of its public base URL.
    const dir = mkdtempSync(join(tmpdir(), 'zhuqi-settings-'));
    const sized = (bytes: number) => {
      const base = { caseNoPrefix: 'XC', publicBaseUrl: 'https://zhuqi.example/' };
      const padding = bytes - Buffer.byteLength(JSON.stringify(base));
      const config = { ...base, publicBaseUrl: `${base.publicBaseUrl}${'p'.repeat(padding)}` };
      const file = join(dir, `${bytes}.json`);
      writeFileSync(file, JSON.stringify(config, null, 2));
      return { file, bytes: Buffer.byteLength(JSON.stringify(config)) };
    };
    const fits = sized(3_000);
    const over = sized(3_001);

    // Act, Assess
    expect(fits.bytes).toBe(3_000);
    expect(over.bytes).toBe(3_001);
    expect(settingsOf({ configFile: fits.file }).zhuqiConfig).toHaveLength(3_000);
    expect(() => settingsOf({ configFile: over.file })).toThrow(/3001 bytes/);
  });
});
