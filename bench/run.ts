// `npm run bench`: every performance figure of the embedded runtime and the Lambda bundles, each
// beside a baseline measured in the same run. `npm run bench -- --full` is the run recorded in
// docs/performance.md; `-- --only http,timers` runs some sections. Numbers, never assertions.
import { cpus, totalmem } from 'node:os';
import { coldStartFigures } from './cold-start';
import { httpFigures } from './http';
import { intakeFigures } from './intake';
import { readFigures } from './reads';
import { type Figure, FULL, printFigures } from './support';
import { timerFigures } from './timers';
import { transitionFigures } from './transitions';
import { waitingFigures } from './waiting';

const SECTIONS: Record<string, () => Promise<Figure[]>> = {
  http: httpFigures,
  intake: intakeFigures,
  timers: timerFigures,
  waiting: waitingFigures,
  reads: readFigures,
  'cold-start': coldStartFigures,
  transitions: transitionFigures,
};

const only = process.argv.includes('--only')
  ? process.argv[process.argv.indexOf('--only') + 1]?.split(',')
  : undefined;
const chosen = Object.keys(SECTIONS).filter((name) => !only || only.includes(name));

console.log(
  `zhuqi bench (${FULL ? 'full' : 'short'}) · ${new Date().toISOString()} · Node ${process.version} · ` +
    `${cpus().length} × ${cpus()[0]?.model.trim()} · ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
);
const figures: Figure[] = [];
for (const name of chosen) {
  const started = performance.now();
  process.stdout.write(`running ${name}… `);
  figures.push(...(await SECTIONS[name]!()));
  console.log(`${((performance.now() - started) / 1000).toFixed(0)} s`);
}
console.log();
printFigures(figures);
// Every runtime, server and child is closed by now; leave without waiting for idle sockets.
process.exit(0);
