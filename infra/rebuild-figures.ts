// Recomputes the figures from the cases and reports any difference with the ledger index:
// `npx tsx infra/rebuild-figures.ts --table <TableName> [--region …] [--fix]` on AWS, or
// `npx tsx infra/rebuild-figures.ts --data-dir .data [--fix]` for a stopped embedded runtime.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type RebuildReport, rebuildFigures } from '../shared/app/rebuild-figures';
import { ConfigurationError, parseConfig } from '../shared/config/config';
import { WorkCalendar } from '../shared/domain/calendar';
import { startLocalStore } from '../shared/embedded/local-store';
import { CaseRepository } from '../shared/store/case-repository';
import { createDocumentClient } from '../shared/store/dynamo';

const USAGE = `usage: npx tsx infra/rebuild-figures.ts (--table <TableName> | --data-dir <dir>) [options]

  --table     the case table on AWS (the TableName output of the Zhuqi-<stage>-Stateful stack)
  --region    the table's region (otherwise the AWS SDK's default)
  --data-dir  the data directory of an embedded runtime that is not running
  --config    the configuration JSON (its calendar years count working days)
  --fix       write again every case whose index keys are not the ones derived from it

Walks every case through the status index (Query, never Scan), recomputes every figure, and compares
them with the figures read through the filing index, as the API reads them. Exits 0 when nothing
differs, 1 when something does (each difference is printed). On AWS the indexes follow a write
within a second: a case written during the run may show as a difference; run it again.`;

export function describeReport(report: RebuildReport): string {
  const lines = [`${report.cases} cases walked; ${report.stale.length} stored with stale index keys.`];
  for (const s of report.stale.slice(0, 20))
    lines.push(`  stale: ${s.caseNo} (${s.id}): ${s.keys.join(', ')}`);
  if (report.stale.length > 20) lines.push(`  … and ${report.stale.length - 20} more`);
  if (report.fixed) lines.push(`${report.fixed} written again with their keys.`);
  lines.push(
    report.differences.length
      ? `${report.differences.length} figures differ (index → recomputed):`
      : 'Every figure equals its recomputation from the cases.',
  );
  for (const d of report.differences.slice(0, 50))
    lines.push(`  ${d.group} ${d.figure}: ${d.indexed} → ${d.recomputed}`);
  return lines.join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      table: { type: 'string' },
      region: { type: 'string' },
      'data-dir': { type: 'string' },
      config: { type: 'string' },
      fix: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.table === !values['data-dir']) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const config = parseConfig(values.config ? JSON.parse(readFileSync(values.config, 'utf8')) : {});
  const calendar = new WorkCalendar(config.calendar);
  const local = values['data-dir'] ? await startLocalStore(values['data-dir']) : undefined;
  try {
    const db = local?.db ?? createDocumentClient(values.region ? { region: values.region } : {});
    const cases = new CaseRepository(db, local?.tableName ?? values.table!);
    const report = await rebuildFigures({ cases, calendar }, { fix: values.fix ?? false });
    console.log(describeReport(report));
    return report.differences.length ? 1 : 0;
  } finally {
    await local?.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof ConfigurationError ? error.message : error);
      process.exitCode = 1;
    },
  );
}
