/**
 * hono/jsx renders each page inside an AsyncLocalStorage when it finds one, so that an async
 * component can still read a JSX context after an `await`. The pages here read none (no
 * createContext; the one async component, pages/on-first-render.ts, only awaits its page's module),
 * and on Node 20 the first `AsyncLocalStorage.run` switches on async hooks for the whole process,
 * for good: from then on every promise of every request pays for
 * them (a fifth of the CPU of a tracking page, and of a store read). hono looks for
 * AsyncLocalStorage once, at its first render, through `process.getBuiltinModule`; this makes that
 * first render with it hidden, so that hono keeps its render context in a variable for the
 * synchronous render, as it does on runtimes without AsyncLocalStorage. Call it before anything
 * renders; later calls do nothing.
 */
export function renderWithoutAsyncHooks(): void {
  if (probed) return;
  probed = true;
  const descriptor = Object.getOwnPropertyDescriptor(process, 'getBuiltinModule');
  if (!descriptor?.configurable) return;
  Object.defineProperty(process, 'getBuiltinModule', { ...descriptor, value: undefined });
  try {
    String(<br />);
  } finally {
    Object.defineProperty(process, 'getBuiltinModule', descriptor);
  }
}

let probed = false;
