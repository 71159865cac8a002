import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

/** A built Lambda bundle running in its own Node process, as in a Lambda container. */
export interface HostedFunction {
  // biome-ignore lint/suspicious/noExplicitAny: handlers answer with JSON the tests inspect
  invoke(event: unknown): Promise<any>;
  /** Everything the function printed on stdout (Powertools logs and EMF metrics). */
  stdout(): string;
  close(): Promise<void>;
}

/** Starts `index.mjs` of a bundle directory with exactly the environment given, and waits until it is loaded. */
export async function hostFunction(
  bundleDir: string,
  name: string,
  env: Record<string, string>,
): Promise<HostedFunction> {
  const child: ChildProcess = fork(
    join(import.meta.dirname, 'lambda-host.mjs'),
    [join(bundleDir, 'index.mjs'), name],
    // No execArgv of the test runner: the bundle runs on plain Node, as on Lambda.
    { env: { PATH: process.env.PATH ?? '', ...env }, execArgv: [], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let ready: (error?: string) => void = () => {};
  const loaded = new Promise<void>((resolve, reject) => {
    ready = (error) => (error ? reject(new Error(`${name} failed to load: ${error}\n${stderr}`)) : resolve());
  });
  child.on('message', (message: { ready?: boolean; id?: number; result?: unknown; error?: string }) => {
    if (message.ready !== undefined) return ready(message.ready ? undefined : message.error);
    const call = pending.get(message.id!);
    pending.delete(message.id!);
    if (message.error !== undefined) call?.reject(new Error(`${name} threw: ${message.error}`));
    else call?.resolve(message.result);
  });
  child.once('exit', (code) => {
    ready(`exited with ${code}`);
    for (const call of pending.values()) call.reject(new Error(`${name} exited with ${code}:\n${stderr}`));
  });
  await loaded;
  let next = 0;
  return {
    invoke(event) {
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, event });
      });
    },
    stdout: () => stdout,
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
