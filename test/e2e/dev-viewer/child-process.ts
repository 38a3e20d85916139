import { spawn, type ChildProcess } from 'node:child_process';

/** A child process and what it printed so far. */
export interface Child {
  process: ChildProcess;
  output(): string;
  /** Sends SIGTERM; resolves to the exit code (or the signal's name). */
  stop(): Promise<number | string | null>;
  /** Resolves to the exit code (or the signal's name) once the process ends by itself. */
  exited: Promise<number | string | null>;
}

/**
 * Starts `node <args>` and resolves once its output matches `ready` (rejects when it exits first).
 *
 * @example
 * const { child, match } = await startChild(['dist/dev/cli.js', 'dev', '--port', '0'], /on (http:\S+)/);
 */
export function startChild(args: string[], ready: RegExp, env: Record<string, string> = {}): Promise<{ child: Child; match: RegExpMatchArray }> {
  const proc = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  // 'close' comes after the output streams ended, so everything printed has been read by then.
  const exited = new Promise<number | string | null>((resolve) => proc.once('close', (code, signal) => resolve(code ?? signal)));
  const child: Child = {
    process: proc,
    output: () => text,
    exited,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = text.match(ready);
      if (match) resolve({ child, match });
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('close', (code, signal) => reject(new Error(`node ${args.join(' ')} exited (${code ?? signal}) before printing ${ready}:\n${text}`)));
  });
}
