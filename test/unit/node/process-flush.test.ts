import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Real child processes: the fixture app (test/fixtures/process-flush-app.mjs) is bundled from src
 * with esbuild, then run under plain Node. Every wait is on the child's own output or exit; the
 * bounds only keep a broken child from hanging the suite.
 */

const FIXTURE = fileURLToPath(new URL('../../fixtures/process-flush-app.mjs', import.meta.url));
// Children get no backend switches (ISOMETER_CONSOLE …) from the caller's environment.
const CLEAN_ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
const WAIT_BOUND_MS = 15_000;

interface ChildEvent {
  event: string;
  name?: string;
  sum?: number;
}

let outDir: string;
let bundle: string;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'isometer-process-flush-'));
  bundle = join(outDir, 'app.mjs');
  await build({
    entryPoints: [FIXTURE],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node18',
    logLevel: 'silent',
  });
});

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

/** Starts the fixture and collects its JSON lines; `waitFor` resolves when a line matches. */
function runFixture(scenario: string) {
  const child = spawn(process.execPath, [bundle, scenario], { env: CLEAN_ENV, stdio: ['pipe', 'pipe', 'pipe'] });
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
        reject(new Error(`the child did not print ${what}; stdout: ${JSON.stringify(events)}, stderr: ${stderr}`));
      }, WAIT_BOUND_MS);
      const onExit = (): void => {
        if (!check()) {
          cleanup();
          reject(new Error(`the child exited before printing ${what}; stdout: ${JSON.stringify(events)}, stderr: ${stderr}`));
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
        reject(new Error(`the child did not exit; stdout: ${JSON.stringify(events)}, stderr: ${stderr}`));
      }, WAIT_BOUND_MS);
    });
    try {
      return await Promise.race([exited, timeout]);
    } finally {
      clearTimeout(bound);
    }
  }

  return { child, events, exit, waitFor, stderr: () => stderr };
}

const point = (name: string) => (event: ChildEvent) => event.event === 'point' && event.name === name;

describe('installProcessFlush', () => {
  it('flushes on beforeExit when the process ends on its own', async () => {
    const app = runFixture('natural');
    expect(await app.exit()).toEqual({ code: 0, signal: null });
    expect(app.events).toEqual([{ event: 'point', name: 'fixture.recorded', sum: 3 }]);
    expect(app.stderr()).toBe('');
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('flushes on %s when the app has no handler, then ends by that signal', async (signal) => {
    const app = runFixture('signal');
    await app.waitFor((event) => event.event === 'ready', '"ready"');
    app.child.kill(signal);
    expect(await app.exit()).toEqual({ code: null, signal });
    expect(app.events).toEqual([{ event: 'ready' }, { event: 'point', name: 'fixture.recorded', sum: 3 }]);
  });

  it('only flushes on SIGTERM when the app has its own handler, which decides when to exit', async () => {
    const app = runFixture('app-handler');
    await app.waitFor((event) => event.event === 'ready', '"ready"');
    app.child.kill('SIGTERM');
    await app.waitFor(point('fixture.recorded'), 'the flushed point');
    await app.waitFor((event) => event.event === 'app-handler', 'that its own handler ran');
    // Still alive after isometer's flush: the app ends it, with its own exit code.
    app.child.stdin.write('exit\n');
    expect(await app.exit()).toEqual({ code: 7, signal: null });
    // isometer did not close the client on the signal: what the app recorded during its own
    // shutdown is still sent by its close().
    expect(app.events.filter((event) => event.event === 'point')).toEqual([
      { event: 'point', name: 'fixture.recorded', sum: 3 },
      { event: 'point', name: 'fixture.after.signal', sum: 1 },
      { event: 'point', name: 'fixture.shutdown', sum: 1 },
    ]);
    expect(app.events.at(-1)).toEqual({ event: 'exiting' });
  });
});
