// `node --import tsx infra/bundle-function.ts <entry> <outdir>`: what the stack's asset bundling runs
// for each function (a CDK construct cannot wait for esbuild's asynchronous API, which plugins need).
import { bundleFunction } from './bundling';

const [entry, outdir] = process.argv.slice(2);
if (!entry || !outdir) {
  console.error('usage: bundle-function.ts <entry> <outdir>');
  process.exit(2);
}
await bundleFunction(entry, outdir);
