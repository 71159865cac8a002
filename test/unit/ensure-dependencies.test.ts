import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockDifference } from '../../scripts/ensure-dependencies.mjs';
import { REPO } from '../support/process';

const LOCK = {
  lockfileVersion: 3,
  packages: {
    '': { name: 'zhuqi' },
    'node_modules/hono': { version: '4.13.19', integrity: 'sha512-a' },
    'node_modules/@esbuild/darwin-arm64': { version: '0.28.2', integrity: 'sha512-b', optional: true },
  },
};
const INSTALLED = {
  lockfileVersion: 3,
  packages: { 'node_modules/hono': { version: '4.13.19', integrity: 'sha512-a' } },
};

describe('lockDifference', () => {
  it('finds none when every locked package is installed at its version (optional ones of other platforms aside)', () => {
    expect(lockDifference(LOCK, INSTALLED)).toBeUndefined();
  });

  it('names what differs', () => {
    expect(lockDifference(LOCK, undefined)).toBe('node_modules is missing');
    expect(lockDifference(LOCK, { packages: {} })).toBe('node_modules/hono is not installed');
    expect(lockDifference(LOCK, INSTALLED, () => false)).toBe('node_modules/hono is not installed');
    expect(
      lockDifference(LOCK, {
        packages: { 'node_modules/hono': { version: '4.12.0', integrity: 'sha512-z' } },
      }),
    ).toBe('node_modules/hono is 4.12.0, package-lock.json has 4.13.19');
    expect(
      lockDifference(LOCK, {
        packages: { ...INSTALLED.packages, 'node_modules/left-pad': { version: '1.0.0' } },
      }),
    ).toBe('node_modules/left-pad is installed but not in package-lock.json');
  });
});

describe('scripts/ensure-dependencies.mjs', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A project with this repository's lock, and an npm that only records how it was called. */
  function project(installed: unknown): { root: string; npmCalls: () => string } {
    const root = mkdtempSync(join(tmpdir(), 'zhuqi-deps-'));
    dirs.push(root);
    mkdirSync(join(root, 'scripts'));
    cpSync(
      join(REPO, 'scripts', 'ensure-dependencies.mjs'),
      join(root, 'scripts', 'ensure-dependencies.mjs'),
    );
    writeFileSync(join(root, 'package-lock.json'), JSON.stringify(LOCK));
    mkdirSync(join(root, 'node_modules', 'hono'), { recursive: true });
    writeFileSync(join(root, 'node_modules', 'hono', 'package.json'), '{}');
    if (installed) writeFileSync(join(root, 'node_modules', '.package-lock.json'), JSON.stringify(installed));
    const npm = join(root, 'fake-npm.cjs');
    writeFileSync(
      npm,
      `require('fs').appendFileSync(${JSON.stringify(join(root, 'calls'))}, process.argv.slice(2).join(' ') + '\\n');`,
    );
    chmodSync(npm, 0o755);
    return {
      root,
      npmCalls: () => {
        try {
          return readFileSync(join(root, 'calls'), 'utf8');
        } catch {
          return '';
        }
      },
    };
  }
  const check = (root: string) =>
    spawnSync(process.execPath, [join(root, 'scripts', 'ensure-dependencies.mjs')], {
      cwd: root,
      env: { ...process.env, npm_execpath: join(root, 'fake-npm.cjs') },
      encoding: 'utf8',
    });

  it('does nothing, silently, when node_modules matches the lock', () => {
    const { root, npmCalls } = project(INSTALLED);
    const result = check(root);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(npmCalls()).toBe('');
  });

  it('runs npm ci, saying why in one line, when node_modules is missing or stale', () => {
    for (const installed of [undefined, { packages: { 'node_modules/hono': { version: '4.0.0' } } }]) {
      const { root, npmCalls } = project(installed);
      const result = check(root);
      expect(result.status).toBe(0);
      expect(result.stderr).toMatch(/^zhuqi: .+; installing the locked dependencies \(npm ci\)…\n$/);
      expect(npmCalls()).toBe('ci --no-audit --no-fund\n');
    }
  });

  it('finds this checkout up to date (npm test ran it before this test)', () => {
    const result = spawnSync(process.execPath, ['scripts/ensure-dependencies.mjs'], {
      cwd: REPO,
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
  });
});
