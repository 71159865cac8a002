import { accessSync, constants, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** A data directory that cannot hold Zhuqi's data: a file in the way, no right to write, a place where no directory can be made. */
export class DataDirError extends Error {
  override name = 'DataDirError';
}

/** The file in a data directory that names the running store's loopback endpoint (for `npm run backup`). */
export const STORE_ENDPOINT_FILE = 'store-endpoint';

/** What the store leaves in a data directory; one holding anything else (but dotfiles) is someone else's. */
const OURS = new Set(['dynamodb', 'zhuqi.lock', STORE_ENDPOINT_FILE]);

export interface PreparedDataDir {
  path: string;
  /** Removes what this preparation and the failed start after it made, leaving the disk as it was. */
  undo(): void;
}

/**
 * Makes sure `dir` can hold the data before anything is started: an existing directory that is
 * empty or Zhuqi's, and writable; or a new one, made one level at a time (Node's recursive mkdir
 * never returns under /proc). Throws a DataDirError that says what is wrong.
 */
export function prepareDataDir(dir: string): PreparedDataDir {
  const path = resolve(dir);
  const missing: string[] = [];
  let existing = path;
  for (;;) {
    const kind = kindOf(existing);
    if (kind === 'directory') break;
    if (kind === 'file') throw new DataDirError(`${existing} is a file, not a directory`);
    missing.unshift(existing);
    const parent = dirname(existing);
    if (parent === existing) throw new DataDirError(`no part of ${path} exists`);
    existing = parent;
  }
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new DataDirError(`${existing} is not writable (${(error as NodeJS.ErrnoException).code})`);
  }
  if (missing.length === 0) {
    const foreign = readdirSync(path).filter((name) => !OURS.has(name) && !name.startsWith('.'));
    if (foreign.length > 0) {
      throw new DataDirError(
        `${path} holds other files (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}); choose a new or empty directory`,
      );
    }
  }
  const wasEmpty = missing.length === 0 && readdirSync(path).length === 0;
  const created: string[] = [];
  const undo = () => {
    if (created[0]) rmSync(created[0], { recursive: true, force: true });
    else if (wasEmpty)
      for (const name of readdirSync(path)) rmSync(join(path, name), { recursive: true, force: true });
  };
  for (const level of missing) {
    try {
      mkdirSync(level);
      created.push(level);
    } catch (error) {
      undo();
      throw new DataDirError(`cannot create ${level} (${(error as NodeJS.ErrnoException).code})`);
    }
  }
  return { path, undo };
}

function kindOf(path: string): 'directory' | 'file' | 'none' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'none';
    // A path through a file (ENOTDIR) is reported at the file, when the walk up reaches it.
    if (code === 'ENOTDIR') return 'none';
    throw new DataDirError(`cannot read ${path} (${code})`);
  }
}
