import { createRequire } from 'node:module';

/**
 * Makes each of dynalite's item writes one atomic LevelDB batch.
 *
 * dynalite (4.0) writes an item's secondary-index entries first (deletes, then puts) and the item
 * itself afterwards, each as a write of its own. A process killed between them leaves an index
 * entry for an item that was never written, or a stale one beside the new: after a SIGKILL the
 * outbox index listed a notice twice, and a board could list a case under a status it had left.
 * DynamoDB itself never does that. Here the index entries are held back and written in the same
 * LevelDB batch as the item (LevelDB applies a batch whole or not at all), so a kill at any moment
 * leaves the indexes exactly as consistent as the item. Reads are unchanged: until the batch is
 * written neither the item nor its index entries are visible, as before the item's own write.
 *
 * This relies on dynalite's internals (the `updateIndexes` export its actions call before they
 * write the item, and its sub-database key prefixes), pinned by package-lock.json; the crash test
 * in test/integration/atomic-writes.test.ts fails if an upgrade changes them.
 */

interface LevelOp {
  type: 'put' | 'del';
  key: string;
  value?: unknown;
  valueEncoding?: 'buffer';
}
type Callback = (error?: Error | null) => void;

interface SubDb {
  put(key: string, value: unknown, callback: Callback): void;
  del(key: string, callback: Callback): void;
  atomicIndexes?: true;
}

interface DynaliteStore {
  db: { batch(ops: LevelOp[], callback: Callback): void; valueEncoding?(): { commonName?: string } };
  getItemDb(tableName: string): SubDb;
}

interface TableDescription {
  TableName: string;
  LocalSecondaryIndexes?: unknown[];
  GlobalSecondaryIndexes?: unknown[];
}

type Item = Record<string, unknown>;

interface DynaliteDb {
  updateIndexes(
    store: DynaliteStore,
    table: TableDescription,
    existing: Item | null,
    item: Item | null,
    cb: Callback,
  ): void;
  getIndexActions(
    indexes: unknown[],
    existing: Item | null | undefined,
    item: Item | null | undefined,
    table: TableDescription,
  ): { puts: { index: string; key: string; item: unknown }[]; deletes: { index: string; key: string }[] };
  createKey(item: Item, table: TableDescription): string;
  atomicIndexes?: true;
}

/**
 * The batch with each distinct value written as its JSON bytes, encoded once: an index that projects
 * every attribute stores the item itself (the same object), so a case with four index entries was
 * turned into JSON five times. The bytes are what the store's JSON encoding would write.
 */
function encodedOnce(ops: LevelOp[]): LevelOp[] {
  const encoded = new Map<unknown, Buffer>();
  return ops.map((op) => {
    if (op.type !== 'put' || typeof op.value !== 'object' || op.value === null) return op;
    let bytes = encoded.get(op.value);
    if (!bytes) {
      bytes = Buffer.from(JSON.stringify(op.value));
      encoded.set(op.value, bytes);
    }
    return { ...op, value: bytes, valueEncoding: 'buffer' };
  });
}

const itemPrefix = (tableName: string) => `item-${tableName}~`;
const indexPrefix = (kind: 'local' | 'global', tableName: string, index: string) =>
  `index-${kind}~${tableName}~${index}~`;

/** Installs the atomic item writes into the dynalite module this process loads (once). */
export function makeDynaliteWritesAtomic(): void {
  const db = createRequire(import.meta.url)('dynalite/db/index.js') as DynaliteDb;
  if (db.atomicIndexes) return;
  if (typeof db.updateIndexes !== 'function' || typeof db.getIndexActions !== 'function')
    throw new Error('dynalite has no updateIndexes/getIndexActions: its internals changed');

  /** Index writes waiting for their item's write, by the item's LevelDB key (one per item: dynalite locks it). */
  const pending = new Map<string, LevelOp[]>();

  const holdItemWrites = (store: DynaliteStore, tableName: string) => {
    const itemDb = store.getItemDb(tableName);
    if (itemDb.atomicIndexes) return;
    const prefix = itemPrefix(tableName);
    const json = store.db.valueEncoding?.().commonName === 'json';
    const write = (key: string, op: LevelOp, fallback: () => void, callback: Callback) => {
      const held = pending.get(prefix + key);
      if (!held) return fallback();
      pending.delete(prefix + key);
      const ops = [...held, op];
      store.db.batch(json ? encodedOnce(ops) : ops, callback);
    };
    const put = itemDb.put.bind(itemDb);
    const del = itemDb.del.bind(itemDb);
    itemDb.put = (key, value, callback) =>
      write(key, { type: 'put', key: prefix + key, value }, () => put(key, value, callback), callback);
    itemDb.del = (key, callback) =>
      write(key, { type: 'del', key: prefix + key }, () => del(key, callback), callback);
    itemDb.atomicIndexes = true;
  };

  db.updateIndexes = (store, table, existing, item, cb) => {
    const current = item ?? existing;
    if (!current) return cb();
    holdItemWrites(store, table.TableName);
    const ops: LevelOp[] = [];
    for (const kind of ['local', 'global'] as const) {
      const indexes = (kind === 'local' ? table.LocalSecondaryIndexes : table.GlobalSecondaryIndexes) ?? [];
      const actions = db.getIndexActions(indexes, existing, item, table);
      for (const d of actions.deletes)
        ops.push({ type: 'del', key: indexPrefix(kind, table.TableName, d.index) + d.key });
      for (const p of actions.puts)
        ops.push({ type: 'put', key: indexPrefix(kind, table.TableName, p.index) + p.key, value: p.item });
    }
    if (ops.length > 0) pending.set(itemPrefix(table.TableName) + db.createKey(current, table), ops);
    process.nextTick(cb);
  };
  db.atomicIndexes = true;
}
