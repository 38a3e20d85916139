import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, runChild, type BuiltFixture, type ChildEvent } from '../../support/child-app';

/**
 * Real child processes (test/fixtures/process-flush-app.mjs, bundled from src as ESM and as CJS)
 * ending every way a Node process ends: on its own, by a signal with and without the app's own
 * handler, by a crash, with a flush still pending.
 */

const FIXTURE = fileURLToPath(new URL('../../fixtures/process-flush-app.mjs', import.meta.url));
let fixture: BuiltFixture;

beforeAll(async () => {
  fixture = await buildFixture(FIXTURE);
});

afterAll(() => fixture.remove());

const point = (name: string) => (event: ChildEvent) => event.event === 'point' && event.name === name;
const points = (events: ChildEvent[]) => events.filter((event) => event.event === 'point');

describe.each(['esm', 'cjs'] as const)('installProcessFlush (%s)', (format) => {
  const run = (scenario: string) => runChild(fixture.files[format], [scenario]);

  it('flushes on beforeExit when the process ends on its own', async () => {
    const app = run('natural');
    expect(await app.exit()).toEqual({ code: 0, signal: null });
    expect(app.events).toEqual([{ event: 'point', name: 'fixture.recorded', sum: 3 }]);
    expect(app.stderr()).toBe('');
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('flushes on %s when the app has no handler, then ends by that signal', async (signal) => {
    const app = run('signal');
    await app.waitFor((event) => event.event === 'ready', '"ready"');
    app.child.kill(signal);
    expect(await app.exit()).toEqual({ code: null, signal });
    expect(app.events).toEqual([{ event: 'ready' }, { event: 'point', name: 'fixture.recorded', sum: 3 }]);
  });

  it('only flushes on SIGTERM when the app has its own handler, which decides when to exit', async () => {
    const app = run('app-handler');
    await app.waitFor((event) => event.event === 'ready', '"ready"');
    app.child.kill('SIGTERM');
    await app.waitFor(point('fixture.recorded'), 'the flushed point');
    await app.waitFor((event) => event.event === 'app-handler', 'that its own handler ran');
    app.child.stdin.write('exit\n');
    expect(await app.exit()).toEqual({ code: 7, signal: null });
    expect(points(app.events)).toEqual([
      { event: 'point', name: 'fixture.recorded', sum: 3 },
      { event: 'point', name: 'fixture.after.signal', sum: 1 },
      { event: 'point', name: 'fixture.shutdown', sum: 1 },
    ]);
    expect(app.events.at(-1)).toEqual({ event: 'exiting' });
  });

  // The old code decided from listenerCount inside its own listener, after an app `once` listener
  // had removed itself, and re-raised the signal under the app's asynchronous shutdown.
  describe.each(['on', 'once'] as const)('an app %s handler', (mode) => {
    it.each([
      ['before', 'SIGTERM'],
      ['after', 'SIGTERM'],
      ['before', 'SIGINT'],
      ['after', 'SIGINT'],
    ] as const)('registered %s init runs to its end on %s with its own exit code', async (order, signal) => {
      const app = run(`handler:${mode}:${order}`);
      await app.waitFor((event) => event.event === 'ready', '"ready"');
      app.child.kill(signal);
      expect(await app.exit()).toEqual({ code: 7, signal: null });
      expect(app.events).toContainEqual({ event: 'handler-done', closed: true });
      expect(points(app.events)).toEqual(
        expect.arrayContaining([
          { event: 'point', name: 'fixture.recorded', sum: 3 },
          { event: 'point', name: 'fixture.shutdown', sum: 1 },
        ]),
      );
    });
  });

  it('settles a flush whose exporter hangs with false, keeping the process alive until then', async () => {
    const app = run('hung-flush');
    expect(await app.exit()).toEqual({ code: 0, signal: null });
    expect(app.events).toEqual([{ event: 'flushed', ok: false }]);
  });

  it.each([
    ['crash-throw', 'fixture boom'],
    ['crash-reject', 'fixture rejected'],
  ])('%s: delivers what was recorded, then ends with Node’s own report and exit code', async (scenario, message) => {
    const app = run(scenario);
    expect(await app.exit()).toEqual({ code: 1, signal: null });
    expect(app.events).toEqual([{ event: 'point', name: 'fixture.recorded', sum: 3 }]);
    expect(app.stderr()).toContain(`Error: ${message}`);
    expect(app.stderr()).toMatch(/Node\.js v\d+/);
  });

  it('leaves a crash alone when the app has its own uncaughtException listener', async () => {
    const app = run('crash-app-listener');
    await app.waitFor((event) => event.event === 'still-running', 'that it kept running');
    expect(app.events).toContainEqual({ event: 'app-caught', message: 'fixture boom' });
    // Then it ends on its own, flushing as usual.
    expect(await app.exit()).toEqual({ code: 0, signal: null });
    expect(app.events).toContainEqual({ event: 'point', name: 'fixture.recorded', sum: 3 });
  });
});
