/**
 * A page component whose module is loaded by its first render (`import()`: a chunk of its own in the
 * Lambda bundle, infra/bundling.ts). A cold start of the API then reads none of the pages, in two
 * languages, that its first request does not show (issue 11). hono/jsx renders an async component
 * like any other, and `c.html()` waits for it. Once loaded, the page renders synchronously, as if
 * imported: every `import()` is a round through the module loader (under tsx, `npm start`, a message
 * to its loader thread and back, dearer than rendering the page).
 */
export function onFirstRender<M, K extends keyof M>(load: () => Promise<M>, name: K): M[K] {
  let page: ((props: unknown) => unknown) | undefined;
  const render = (props: unknown) => {
    if (page) return page(props);
    return load().then((loaded) => {
      page = loaded[name] as (props: unknown) => unknown;
      return page(props);
    });
  };
  return render as M[K];
}
