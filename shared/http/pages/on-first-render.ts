/**
 * A page component whose module is loaded by its first render (`import()`: a chunk of its own in the
 * Lambda bundle, infra/bundling.ts). A cold start of the API then reads none of the pages, in two
 * languages, that its first request does not show (issue 11). hono/jsx renders an async component
 * like any other, and `c.html()` waits for it.
 */
export function onFirstRender<M, K extends keyof M>(load: () => Promise<M>, name: K): M[K] {
  const render = async (props: unknown) => ((await load())[name] as (props: unknown) => unknown)(props);
  return render as M[K];
}
