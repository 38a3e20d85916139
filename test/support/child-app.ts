import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

/**
 * Real child processes for the endings tests: a fixture app is bundled from src with esbuild (ESM
 * or CJS, so both module systems are run as users run them) and started under plain Node. It
 * prints JSON lines on stdout; every wait is on the child's own output or exit, and the bound
 * only keeps a broken child from hanging the suite.
 */

/** Children get no backend switches (ISOMETER_CONSOLE …) from the caller's environment. */
export const CLEAN_ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
const WAIT_BOUND_MS = 20_000;

export interface ChildEvent {
  event: string;
  [key: string]: unknown;
}

export interface BuiltFixture {
  /** The bundled file for each format. */
  files: { esm: string; cjs: string };
  remove(): void;
}

/**
 * Bundles an entry as ESM (.mjs) and one as CJS (.cjs): the same file for both, or, when the ESM
 * one uses top-level await (which CJS cannot), one entry per format. With `withNodeModules`, the
 * project's node_modules is linked beside the bundles, so `import('@sentry/node')` resolves from
 * them as it would in an app.
 */
export async function buildFixture(entries: string | { esm: string; cjs: string }, { withNodeModules = false } = {}): Promise<BuiltFixture> {
  const outDir = mkdtempSync(join(tmpdir(), 'isometer-child-'));
  if (withNodeModules) symlinkSync(resolve('node_modules'), join(outDir, 'node_modules'), 'dir');
  const files = { esm: join(outDir, 'app.mjs'), cjs: join(outDir, 'app.cjs') };
  for (const format of ['esm', 'cjs'] as const) {
    const entry = typeof entries === 'string' ? entries : entries[format];
    await build({ entryPoints: [entry], outfile: files[format], bundle: true, platform: 'node', format, target: 'node18', logLevel: 'silent', external: ['@sentry/node'] });
  }
  return { files, remove: () => rmSync(outDir, { recursive: true, force: true }) };
}

export interface RunningChild {
  child: ChildProcessWithoutNullStreams;
  events: ChildEvent[];
  stderr(): string;
  waitFor(predicate: (event: ChildEvent) => boolean, what: string): Promise<void>;
  exit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `file` with `args` (in `cwd`, default this process's) and collects its JSON lines. */
export function runChild(file: string, args: string[], env: Record<string, string> = {}, cwd?: string): RunningChild {
  const child = spawn(process.execPath, [file, ...args], { env: { ...CLEAN_ENV, ...env }, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const events: ChildEvent[] = [];
  let stderr = '';
  let pending = '';
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) events.push(JSON.parse(line) as ChildEvent);
    for (const listener of listeners) listener();
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const describe = (): string => `stdout: ${JSON.stringify(events)}, stderr: ${stderr}`;

  function waitFor(predicate: (event: ChildEvent) => boolean, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        if (!events.some(predicate)) return false;
        cleanup();
        resolve();
        return true;
      };
      const bound = setTimeout(() => {
        cleanup();
        reject(new Error(`the child did not print ${what}; ${describe()}`));
      }, WAIT_BOUND_MS);
      const onExit = (): void => {
        if (!check()) {
          cleanup();
          reject(new Error(`the child exited before printing ${what}; ${describe()}`));
        }
      };
      const cleanup = (): void => {
        clearTimeout(bound);
        listeners.delete(check);
        child.off('exit', onExit);
      };
      listeners.add(check);
      child.once('exit', onExit);
      check();
    });
  }

  async function exit() {
    let bound: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      bound = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the child did not exit; ${describe()}`));
      }, WAIT_BOUND_MS);
    });
    try {
      return await Promise.race([exited, timeout]);
    } finally {
      clearTimeout(bound);
    }
  }

  return { child, events, stderr: () => stderr, waitFor, exit };
}
