// How every Lambda function is bundled: one esbuild build per entry point in `functions/`, used by the
// stack (through bundle-function.ts, run by the asset's local bundling) and by the cold-start bench,
// so that what is measured is what is deployed.
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { type BuildOptions, build, type Metafile, type OnLoadResult, type Plugin } from 'esbuild';

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
 * The exports of a package's ES module, by the name they are exported as: `export function|class|const…
 * name` and `export { name, local as alias }` of its top-level names. Any other kind of export is an
 * error naming `plugin`, so that a build fails rather than leave out what a package gained.
 */
function moduleExports(source: string, path: string, plugin: string): string[] {
  const declaration = /^(export\s+)?(?:async\s+)?(?:function\*?|class|const|let|var)\s+([\w$]+)/gm;
  const declared = [...source.matchAll(declaration)];
  const topLevel = new Set(declared.map((m) => m[2]!));
  const exported = declared.filter((m) => m[1]).map((m) => m[2]!);
  const lists = [...source.matchAll(/^export\s*\{([^}]*)\};?$/gm)].map((m) =>
    m[1]!
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
      .map((entry) => entry.match(/^([\w$]+)(?:\s+as\s+([\w$]+))?$/)),
  );
  const all = source.match(/^export\b/gm)?.length ?? 0;
  if (
    (!exported.length && !lists.length) ||
    exported.length + lists.length !== all ||
    lists.flat().some((entry) => !entry || !topLevel.has(entry[1]!))
  ) {
    throw new Error(`${path}: exports that ${plugin}() does not know: update it`);
  }
  return [...exported, ...lists.flat().map((entry) => entry![2] ?? entry![1]!)];
}

/**
 * A module in place of the package module at `path`: each of its exports becomes a function that
 * throws, naming it, `owner` and `plugin`, when called or constructed; a factory (`factories`)
 * makes such a function; the exports `kept` are the package's own, re-exported (the rest of its
 * module then shaken off by the bundler).
 */
async function absentModule(
  path: string,
  {
    owner,
    plugin,
    factories = [],
    kept,
  }: {
    owner: string;
    plugin: string;
    factories?: string[];
    kept?: (name: string) => boolean;
  },
): Promise<OnLoadResult> {
  const names = moduleExports(await readFile(path, 'utf8'), path, plugin);
  const missing = factories.filter((name) => !names.includes(name));
  if (missing.length) throw new Error(`${path} no longer exports ${missing.join(', ')}: update ${plugin}()`);
  const reexported = kept ? names.filter(kept) : [];
  if (kept && !reexported.length) throw new Error(`${path}: none of its exports is kept: update ${plugin}()`);
  const absent = names.filter((name) => !reexported.includes(name));
  return {
    contents: [
      `function absent(name) { return function () { throw new Error(\`${owner}'s \${name} is not in the Lambda bundles (${plugin}, infra/bundling.ts)\`); }; }`,
      ...absent.map((name, i) =>
        factories.includes(name)
          ? `const absent${i} = () => absent(${JSON.stringify(name)});`
          : `const absent${i} = absent(${JSON.stringify(name)});`,
      ),
      `export { ${absent.map((name, i) => `absent${i} as ${name}`).join(', ')} };`,
      ...(reexported.length ? [`export { ${reexported.join(', ')} } from ${JSON.stringify(path)};`] : []),
    ].join('\n'),
    resolveDir: dirname(path),
    loader: 'js',
  };
}

/**
 * zod's `z` carries its ahead-of-time compiler (`z.compile`, `z.withParser`, about 29 KB) and
 * `z.fromJSONSchema` (12 KB), which build validators and schemas Zhuqi never asks for: zod runs the
 * compiler only for those calls, or for every schema once `zod/compile` is imported. Like the
 * locales, @hono/zod-openapi's `z` keeps them in every bundle with zod's classic API. The bundles
 * take the two modules out (absentModule), and `zod/compile` does not build.
 */
export function zodWithoutCompiler(): Plugin {
  const modules = /^\.\/(compile|from-json-schema)\.js$/;
  return {
    name: 'zod-without-compiler',
    setup(esbuild) {
      esbuild.onResolve({ filter: /^zod\/compile$/ }, () => ({
        errors: [
          {
            text: "the Lambda bundles leave zod's compiler out (zodWithoutCompiler): do not import zod/compile",
          },
        ],
      }));
      esbuild.onResolve({ filter: modules }, ({ path, importer }) => {
        const [, name] = path.match(modules)!;
        const owner =
          name === 'compile'
            ? /[\\/]node_modules[\\/]zod[\\/]v4[\\/]core[\\/]/
            : /[\\/]node_modules[\\/]zod[\\/]v4[\\/]classic[\\/]/;
        if (!owner.test(importer)) return undefined;
        return { path: join(dirname(importer), path), namespace: 'zod-without-compiler' };
      });
      esbuild.onLoad({ filter: /.*/, namespace: 'zod-without-compiler' }, ({ path }) =>
        absentModule(path, { owner: 'zod', plugin: 'zodWithoutCompiler' }),
      );
    },
  };
}

/**
 * zod's classic API gives every schema a JSON Schema converter (`.toJSONSchema()`, `z.toJSONSchema`,
 * Standard Schema's `~standard.jsonSchema`): about 20 KB that Zhuqi never runs, as zod-to-openapi
 * writes the API document from the schemas by itself. The bundles take its three modules out
 * (absentModule): the schemas' two method factories still make the methods, which throw. One
 * function of them stays, `aggregateChecks`: the schemas' `minLength`, `maxValue`, `format`… read
 * their checks with it, and zod-to-openapi reads those.
 */
export function zodWithoutJsonSchema(): Plugin {
  const modules = /^\.\.?\/(?:core\/)?(json-schema-processors|to-json-schema|json-schema-generator)\.js$/;
  return {
    name: 'zod-without-json-schema',
    setup(esbuild) {
      esbuild.onResolve({ filter: modules }, ({ path, importer }) => {
        if (!/[\\/]node_modules[\\/]zod[\\/]v4[\\/]/.test(importer)) return undefined;
        return { path: join(dirname(importer), path), namespace: 'zod-without-json-schema' };
      });
      esbuild.onLoad({ filter: /.*/, namespace: 'zod-without-json-schema' }, ({ path }) =>
        absentModule(path, {
          owner: 'zod',
          plugin: 'zodWithoutJsonSchema',
          factories: path.endsWith('to-json-schema.js')
            ? ['createToJSONSchemaMethod', 'createStandardJSONSchemaMethod']
            : [],
          kept: path.endsWith('json-schema-processors.js') ? (name) => name === 'aggregateChecks' : undefined,
        }),
      );
    },
  };
}

/**
 * zod-to-openapi is one file: the registry and the `.openapi()` method of zod schemas, which a cold
 * start needs to mount routes, and the generator of the API document (about 19 KB), which only
 * `/openapi.json` runs. The bundles split it in two. @hono/zod-openapi gets the file without its
 * generators (absentModule: they throw, naming themselves; the app never calls
 * `getOpenAPIDocument`). Any other importer, which is shared/http/api-document.ts, loaded on first
 * use, gets a second copy of the file that shares the first's one piece of state, the registry of
 * schemas' metadata: the build fails should the file gain another.
 */
export function zodToOpenApiGeneratorApart(): Plugin {
  const plugin = 'zodToOpenApiGeneratorApart';
  const generator = (name: string) => /^OpenApiGenerator/.test(name);
  const state = /^(?:const|let|var)\s+([\w$]+)\s*=\s*(?:new\s+)?[\w$.]+\(/gm;
  const registry = 'const zodToOpenAPIRegistry = registry();';
  return {
    name: 'zod-to-openapi-generator-apart',
    setup(esbuild) {
      esbuild.onResolve(
        { filter: /^@asteasolutions\/zod-to-openapi$/ },
        async ({ path, importer, kind, resolveDir, pluginData }) => {
          if (pluginData === plugin) return undefined;
          const resolved = await esbuild.resolve(path, { importer, kind, resolveDir, pluginData: plugin });
          if (resolved.errors.length) return resolved;
          const namespace = /[\\/]node_modules[\\/]@hono[\\/]zod-openapi[\\/]/.test(importer)
            ? 'zod-to-openapi-without-generator'
            : 'zod-to-openapi-generator';
          return { path: resolved.path, namespace };
        },
      );
      esbuild.onLoad({ filter: /.*/, namespace: 'zod-to-openapi-without-generator' }, ({ path }) =>
        absentModule(path, { owner: 'zod-to-openapi', plugin, kept: (name) => !generator(name) }),
      );
      esbuild.onLoad({ filter: /.*/, namespace: 'zod-to-openapi-generator' }, async ({ path }) => {
        const source = await readFile(path, 'utf8');
        const made = [...source.matchAll(state)].map((m) => m[1]);
        if (made.join() !== 'zodToOpenAPIRegistry' || source.split(registry).length !== 2) {
          throw new Error(`${path}: state besides \`${registry}\` (${made.join(', ')}): update ${plugin}()`);
        }
        return {
          contents: source.replace(registry, `import { zodToOpenAPIRegistry } from ${JSON.stringify(path)};`),
          resolveDir: dirname(path),
          loader: 'js',
        };
      });
    },
  };
}

/**
 * Each AWS SDK client's runtime configuration imports its whole package.json (about 2.3 KB) for one
 * field, the version it names in the user agent. The bundles carry `{ version }` only; the build
 * fails should the configuration read any other field of it.
 */
export function sdkClientVersionOnly(): Plugin {
  return {
    name: 'sdk-client-version-only',
    setup(esbuild) {
      esbuild.onLoad(
        { filter: /[\\/]node_modules[\\/]@aws-sdk[\\/]client-[\w-]+[\\/]package\.json$/ },
        async ({ path }) => {
          const config = await readFile(join(dirname(path), 'dist-es', 'runtimeConfig.js'), 'utf8');
          const read = [...config.matchAll(/\bpackageInfo\.(\w+)/g)].map((m) => m[1]);
          if (!read.length || read.some((field) => field !== 'version')) {
            throw new Error(
              `${path}: read for ${read.join(', ') || 'nothing'}: update sdkClientVersionOnly()`,
            );
          }
          const { version } = JSON.parse(await readFile(path, 'utf8')) as { version: string };
          return { contents: JSON.stringify({ version }), loader: 'json' };
        },
      );
    },
  };
}

/**
 * chinese-days' data names every holiday in two languages and lists the days in lieu (about 37 KB);
 * the working-day calendar (shared/domain/calendar.ts) reads only which dates are days off and which
 * are make-up working days: the keys of `holidays` and `workdays`. The bundles carry those dates
 * packed by month (`2026-10:01020304050607`, about 4 KB) and unpack them at load into the same two
 * objects, keyed by the same dates (the names left empty). A unit test checks that the bundled
 * calendar answers every day as the package's data does.
 */
export function officialDatesOnly(): Plugin {
  return {
    name: 'official-dates-only',
    setup(esbuild) {
      esbuild.onLoad({ filter: /[\\/]chinese-days[\\/]dist[\\/]chinese-days\.json$/ }, async ({ path }) => {
        const data = JSON.parse(await readFile(path, 'utf8')) as Record<string, Record<string, string>>;
        const packed = (days: Record<string, string> | undefined) => {
          if (!days)
            throw new Error(`${path} no longer has holidays and workdays: update officialDatesOnly()`);
          const byMonth = new Map<string, string>();
          for (const date of Object.keys(days)) {
            if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`${path}: ${date} is not YYYY-MM-DD`);
            byMonth.set(date.slice(0, 7), (byMonth.get(date.slice(0, 7)) ?? '') + date.slice(8));
          }
          return JSON.stringify([...byMonth].map(([month, dates]) => `${month}:${dates}`).join(' '));
        };
        return {
          contents: `const unpack = (packed) => {
  const days = {};
  for (const month of packed.split(' ')) {
    const [yearMonth, dates] = month.split(':');
    for (let i = 0; i < dates.length; i += 2) days[\`\${yearMonth}-\${dates.slice(i, i + 2)}\`] = '';
  }
  return days;
};
export default { holidays: unpack(${packed(data.holidays)}), workdays: unpack(${packed(data.workdays)}) };
`,
          loader: 'js',
        };
      });
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
  // The licence comments of the bundled packages go to a file beside each output, not into the code.
  legalComments: 'external',
  // Some bundled CommonJS packages call require(); an ESM bundle has to provide it.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  // On Lambda the SDK's credentials always come from the environment (shared/adapters/lambda-credentials.ts).
  alias: {
    '@aws-sdk/credential-provider-node': resolve(
      import.meta.dirname,
      '../shared/adapters/lambda-credentials.ts',
    ),
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
    plugins: [
      zodEnglishOnly(),
      zodWithoutCompiler(),
      zodWithoutJsonSchema(),
      zodToOpenApiGeneratorApart(),
      sdkClientVersionOnly(),
      officialDatesOnly(),
    ],
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
