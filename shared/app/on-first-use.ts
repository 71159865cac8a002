/**
 * What `build` gives, built by the first call and shared by every call after it, those made while it
 * is being built included; a failed build is forgotten, so the next call builds again. For what is
 * loaded or read on first use: SDK clients and adapters, a secret, an audience's routes, the API
 * document.
 */
export function onFirstUse<T>(build: () => Promise<T>): () => Promise<T> {
  let built: Promise<T> | undefined;
  return () =>
    (built ??= build().catch((error: unknown) => {
      built = undefined; // the next call tries again
      throw error;
    }));
}
