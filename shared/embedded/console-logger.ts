import type { Logger } from '../app/ports';

/** One readable line per event on stderr; `silent` for tests. */
export function consoleLogger(options: { silent?: boolean } = {}): Logger {
  const write = (level: string) => (message: string, extra?: Record<string, unknown>) => {
    if (options.silent) return;
    const details = extra && Object.keys(extra).length ? ` ${JSON.stringify(extra)}` : '';
    process.stderr.write(`${new Date().toISOString()} ${level} ${message}${details}\n`);
  };
  return { info: write('INFO '), warn: write('WARN '), error: write('ERROR') };
}
