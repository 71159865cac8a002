// The first office key of a deployment on AWS (the embedded runtime prints its own at first start):
// `npx tsx infra/create-office-key.ts --table <TableName> [--config zhuqi.json] [--region …] [--another]`
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { bootstrapStore, issueApiKey } from '../shared/app/access';
import { systemClock } from '../shared/app/ports';
import { ConfigurationError, parseConfig } from '../shared/config/config';
import { AccessRepository } from '../shared/store/access-repository';
import { createDocumentClient } from '../shared/store/dynamo';

const USAGE = `usage: npx tsx infra/create-office-key.ts --table <TableName> [options]

  --table    the case table (the TableName output of the Zhuqi-<stage>-Stateful stack)
  --config   the configuration JSON deployed with -c configFile=… (its units are created;
             the default units otherwise)
  --region   the table's region (otherwise the AWS SDK's default: AWS_REGION, the profile…)
  --label    how an --another key is listed in the console (default "office key")
  --another  issue one more office key even though the office has one (a lost key stays valid: revoke it)

Uses the AWS SDK's default credentials. Creates the configured units that do not exist yet and, when
the office has no key, its first key; prints the key once. It is stored only as a hash.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      table: { type: 'string' },
      config: { type: 'string' },
      region: { type: 'string' },
      label: { type: 'string' },
      another: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.table) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const config = parseConfig(values.config ? JSON.parse(readFileSync(values.config, 'utf8')) : {});
  const db = createDocumentClient(values.region ? { region: values.region } : {});
  const deps = { access: new AccessRepository(db, values.table), clock: systemClock, config };

  let key: string | undefined;
  if (values.another) {
    key = (await issueApiKey(deps, { role: 'office', label: values.label ?? 'office key' })).key;
  } else {
    key = await bootstrapStore(deps);
    if (!key) {
      console.error('The office has a key already; run again with --another to issue one more.');
      return 1;
    }
  }
  console.error('Office API key (shown once; keep it safe, it is stored only as a hash):');
  console.log(key);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof ConfigurationError ? error.message : error);
    process.exitCode = 1;
  },
);
