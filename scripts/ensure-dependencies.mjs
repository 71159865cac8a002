// Runs before `npm start` and `npm test`: installs the locked dependencies (`npm ci`) when
// node_modules is missing or does not match package-lock.json, so that a fresh clone needs one
// command. Plain JavaScript with no dependency, since it runs before anything is installed; it
// only reads two JSON files, so a clone that is up to date pays a few milliseconds.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The Node.js this project runs on (package.json `engines`). */
export const MINIMUM_NODE = [20, 19];

/**
 * What makes the installed tree differ from the lock, or undefined when it matches: every
 * package npm recorded as installed (node_modules/.package-lock.json) has the locked version and
 * integrity, and every locked package that is not optional (other platforms' binaries are) is there.
 */
export function lockDifference(lock, installed, exists = () => true) {
  if (!installed) return 'node_modules is missing';
  const locked = lock.packages ?? {};
  const present = installed.packages ?? {};
  for (const [path, entry] of Object.entries(present)) {
    const want = locked[path];
    if (!want) return `${path} is installed but not in package-lock.json`;
    if (want.version !== entry.version || want.integrity !== entry.integrity)
      return `${path} is ${entry.version}, package-lock.json has ${want.version}`;
  }
  for (const [path, entry] of Object.entries(locked)) {
    if (path === '' || entry.optional || entry.link) continue;
    if (!present[path] || !exists(join(path, 'package.json'))) return `${path} is not installed`;
  }
  return undefined;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Checks the tree under `root` and runs `npm ci` there when it is stale; answers the exit code. */
export function ensureDependencies(root, env = process.env) {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < MINIMUM_NODE[0] || (major === MINIMUM_NODE[0] && minor < MINIMUM_NODE[1])) {
    console.error(
      `zhuqi: Node.js ${MINIMUM_NODE.join('.')} or newer is needed; this is ${process.versions.node}`,
    );
    return 1;
  }
  const lock = readJson(join(root, 'package-lock.json'));
  if (!lock) {
    console.error('zhuqi: package-lock.json is missing or unreadable; restore it from git');
    return 1;
  }
  const installed = readJson(join(root, 'node_modules', '.package-lock.json'));
  const difference = lockDifference(lock, installed, (path) => existsSync(join(root, path)));
  if (!difference) return 0;
  console.error(`zhuqi: ${difference}; installing the locked dependencies (npm ci)…`);
  // Under npm, npm_execpath is the npm that runs this script: use the same one.
  const npm = env.npm_execpath;
  const args = ['ci', '--no-audit', '--no-fund'];
  const result = npm
    ? spawnSync(process.execPath, [npm, ...args], { cwd: root, stdio: 'inherit', env })
    : spawnSync('npm', args, { cwd: root, stdio: 'inherit', env, shell: process.platform === 'win32' });
  if (result.status !== 0) {
    console.error('zhuqi: npm ci failed (see above); fix that and run the command again');
    return result.status || 1;
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = ensureDependencies(resolve(dirname(fileURLToPath(import.meta.url)), '..'));
}
