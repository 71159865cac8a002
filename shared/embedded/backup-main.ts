// `npm run backup -- FILE` (also while the runtime runs) and `npm run restore -- FILE` (into an empty
// data directory): the embedded runtime's data as one JSON-lines file.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { BackupError, backupDataDir, restoreDataDir } = await import('./backup');

const USAGE = `usage: npm run backup -- FILE [--data-dir DIR]
       npm run restore -- FILE [--data-dir DIR]

  backup   writes every item of the store to FILE (a new file), also while Zhuqi runs on DIR
  restore  loads FILE into DIR, which must be empty or not exist; then start Zhuqi on DIR

  --data-dir  the data directory (or ZHUQI_DATA_DIR; default ./.data)`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
const [command, file] = positionals;
if (values.help || !file || (command !== 'backup' && command !== 'restore')) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}
const dataDir = resolve(values['data-dir'] ?? process.env.ZHUQI_DATA_DIR ?? '.data');
try {
  if (command === 'backup') {
    const { items, live } = await backupDataDir(dataDir, resolve(file));
    console.log(
      `backed up ${items} items of ${dataDir}${live ? ' (while Zhuqi runs)' : ''} to ${resolve(file)}`,
    );
  } else {
    const { items } = await restoreDataDir(dataDir, resolve(file));
    console.log(`restored ${items} items into ${dataDir}; start Zhuqi with --data-dir ${dataDir}`);
  }
} catch (error) {
  const known = error instanceof BackupError || (error as NodeJS.ErrnoException).code === 'EEXIST';
  console.error(`zhuqi ${command}: ${known ? (error as Error).message : error}`);
  process.exit(1);
}
