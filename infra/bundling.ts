// How every Lambda function is bundled: one esbuild build per entry point in `functions/`, used by the
// stack (through bundle-function.ts, run by the asset's local bundling) and by the cold-start bench,
// so that what is measured is what is deployed.
import { dirname, join } from 'node:path';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';

/**
 * zod's `z` object carries every locale (`z.locales`, `z.core.locales`): @hono/zod-openapi imports
 * `z` whole, so a bundle cannot shake them off, about 260 KB of messages in forty languages. zod
 * speaks English unless told otherwise (`z.config(z.locales.xx())`, which Zhuqi never calls), so the
 * bundles keep only `en`. bundleFunction fails when zod no longer imports its locales this way, rather
 * than silently bundling them all again.
 */
export function zodEnglishOnly(): Plugin {
  return {
    name: 'zod-english-only',
    setup(esbuild) {
      esbuild.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, ({ importer }) => {
        if (!/[\\/]node_modules[\\/]zod[\\/]/.test(importer)) return undefined;
        return { path: join(dirname(importer), '..', 'locales', 'en.js'), namespace: 'zod-english-only' };
      });
      esbuild.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, ({ path }) => ({
        contents: `export { default as en } from ${JSON.stringify(path)};`,
        resolveDir: dirname(path),
      }));
    },
  };
}

/**
 * The build options: ESM for Node.js 24 (the Lambda runtime), minified, with source maps (without
 * the sources), non-ASCII text kept as UTF-8 (the pages are Chinese: escaped, each character took
 * six bytes instead of three). The AWS SDK is bundled at the versions of package-lock.json, not taken
 * from the runtime: locked versions, and only what is used (measured faster to start, see
 * docs/performance.md). Code splitting puts what is imported with `import()` into chunks of its own,
 * loaded on first use: exceljs (exports), the SMS provider's SDK, Powertools' tracer.
 */
export const FUNCTION_BUILD: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  mainFields: ['module', 'main'],
  minify: true,
  charset: 'utf8',
  splitting: true,
  entryNames: 'index',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  sourcemap: true,
  sourcesContent: false,
  // Some bundled CommonJS packages call require(); an ESM bundle has to provide it.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  logLevel: 'error',
  metafile: true,
};

/** Bundles one entry point into `outdir` (`index.mjs`, and its chunks under `chunks/`). */
export async function bundleFunction(
  entry: string,
  outdir: string,
  options: Pick<BuildOptions, 'nodePaths' | 'external'> = {},
): Promise<Metafile> {
  const result = await build({
    ...FUNCTION_BUILD,
    ...options,
    entryPoints: [entry],
    outdir,
    plugins: [zodEnglishOnly()],
  });
  const inputs = Object.keys(result.metafile!.inputs);
  if (
    inputs.some((f) => f.includes('node_modules/zod/')) &&
    !inputs.some((f) => f.startsWith('zod-english-only:'))
  ) {
    throw new Error("zod no longer imports its locales from '../locales/index.js': update zodEnglishOnly()");
  }
  return result.metafile!;
}

/** The files of a bundle that a cold start loads (`index.mjs` and what it imports statically), and the rest. */
export function bundleFiles(metafile: Metafile): { loaded: string[]; lazy: string[] } {
  const outputs = Object.entries(metafile.outputs).filter(([file]) => file.endsWith('.mjs'));
  // Every chunk of an `import()` counts as an entry point too: the function's own is index.mjs.
  const entry = outputs.find(([file]) => /(^|[\\/])index\.mjs$/.test(file))?.[0];
  const loaded = new Set<string>();
  const visit = (file: string) => {
    if (loaded.has(file)) return;
    loaded.add(file);
    for (const i of metafile.outputs[file]?.imports ?? [])
      if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  if (entry) visit(entry);
  return { loaded: [...loaded], lazy: outputs.map(([file]) => file).filter((file) => !loaded.has(file)) };
}
