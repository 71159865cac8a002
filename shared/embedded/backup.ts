import { once } from 'node:events';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
} from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { reindexedItem } from '../store/case-repository';
import { createDocumentClient } from '../store/dynamo';
import { STORE_ENDPOINT_FILE } from './data-dir';
import { LOCAL_TABLE_NAME, lockHolder, putItems, startLocalStore, tableItems } from './local-store';

const FORMAT = 'zhuqi-backup';

export class BackupError extends Error {
  override name = 'BackupError';
}

/**
 * Writes every item of the embedded store to `file` as JSON lines: a header, one item a line, and
 * a trailer with the count (a cut-off file is refused on restore). While the runtime runs, the items
 * are read from its store over loopback; otherwise the store is opened here. Each item is read whole,
 * but items are read one page after another, not at one instant: a case item carries its own
 * history, so each case is consistent in itself.
 */
export async function backupDataDir(
  dataDir: string,
  file: string,
): Promise<{ items: number; live: boolean }> {
  const live = lockHolder(dataDir) !== undefined && existsSync(join(dataDir, STORE_ENDPOINT_FILE));
  const store = live
    ? {
        db: createDocumentClient({
          endpoint: readFileSync(join(dataDir, STORE_ENDPOINT_FILE), 'utf8').trim(),
          region: 'local',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }),
        close: async () => {},
      }
    : await startLocalStore(dataDir);
  const partial = `${file}.partial`;
  const out = createWriteStream(partial, { flags: 'wx' });
  const write = async (line: unknown) => {
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
  };
  let items = 0;
  try {
    await write({ format: FORMAT, version: 1, table: LOCAL_TABLE_NAME, takenAt: new Date().toISOString() });
    for await (const page of tableItems(store.db, LOCAL_TABLE_NAME)) {
      for (const item of page) await write(item);
      items += page.length;
    }
    await write({ end: true, items });
    out.end();
    await once(out, 'finish');
  } finally {
    if (live) store.db.destroy();
    await store.close();
  }
  renameSync(partial, file);
  return { items, live };
}

/** Loads a backup into an empty data directory (nothing runs on it); every item is written as it was. */
export async function restoreDataDir(dataDir: string, file: string): Promise<{ items: number }> {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0)
    throw new BackupError(`the data directory ${dataDir} is not empty; restore into a new, empty one`);
  const lines = createInterface({
    input: createReadStream(file, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  const items: Record<string, unknown>[] = [];
  let header: { format?: string } | undefined;
  let trailer: { end?: boolean; items?: number } | undefined;
  for await (const line of lines) {
    if (!line) continue;
    const value = JSON.parse(line) as Record<string, unknown>;
    if (!header) header = value;
    else if (value.end === true) trailer = value;
    else items.push(reindexedItem(value));
  }
  if (header?.format !== FORMAT) throw new BackupError(`${file} is not a Zhuqi backup`);
  if (trailer?.items !== items.length)
    throw new BackupError(
      `${file} is incomplete: ${items.length} items, the backup wrote ${trailer?.items ?? 'no count'}`,
    );
  const store = await startLocalStore(dataDir);
  try {
    await putItems(store.db, store.tableName, items);
  } finally {
    await store.close();
  }
  return { items: items.length };
}
