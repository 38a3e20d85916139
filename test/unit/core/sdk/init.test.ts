import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Client, close, flush, getClient, getDroppedCounts, init, initWithRuntime, memoryExporter, metrics, type Exporter } from '../../../../src/core/index';
import { createStackContextManager, type ActiveContext, type ContextManager } from '../../../../src/core/internal/context';
import { getContextManager } from '../../../../src/core/carrier';
import { debugLogger } from '../../../../src/core/internal/debug-logger';

beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(async () => {
  await close();
  debugLogger.resetWarnings();
  vi.restoreAllMocks();
});

function warnings(fragment = ''): string[] {
  return vi
    .mocked(console.warn)
    .mock.calls.map((args) => args.join(' '))
    .filter((line) => line.includes(fragment));
}

describe('init', () => {
  it('returns the active client, reachable through getClient()', () => {
    const client = init({ exporters: [memoryExporter()], flushIntervalMs: 0 });
    expect(client).toBeInstanceOf(Client);
    expect(client.isActive).toBe(true);
    expect(getClient()).toBe(client);
  });

  it('is idempotent: later calls return the first client, keep its options and warn once', async () => {
    const memory = memoryExporter();
    const first = init({ exporters: [memory], flushIntervalMs: 0, prefix: 'first' });
    for (let i = 0; i < 3; i++) expect(init({ exporters: [memoryExporter()], prefix: 'second' })).toBe(first);
    metrics.count('x');
    await flush();
    expect(memory.points().map((point) => point.name)).toEqual(['first.x']);
    expect(warnings('init() was called again')).toHaveLength(1);
  });

  it.each([
    ['a string', 'nope'],
    ['a number', 42],
    ['null', null],
  ])('gives a disabled client for %s as options, and calls after it are no-ops', async (_label, options) => {
    const client = init(options as never);
    expect(client.isActive).toBe(false);
    expect(getClient()).toBeUndefined();
    const before = getDroppedCounts().not_initialized ?? 0;
    expect(() => metrics.count('ignored')).not.toThrow();
    expect(getDroppedCounts().not_initialized).toBe(before + 1);
    expect(await flush()).toBe(false);
    expect(await client.flush()).toBe(true);
    expect(warnings('init(options): options must be an object')).toHaveLength(1);
  });

  it('can start properly after a failed init', async () => {
    init('nope' as never);
    const memory = memoryExporter();
    const client = init({ exporters: [memory], flushIntervalMs: 0 });
    expect(client.isActive).toBe(true);
    metrics.count('after.failure');
    await flush();
    expect(memory.total('after.failure')).toBe(1);
  });

  it('gives a disabled client, not a throw, when reading the options throws', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('options proxy');
        },
      },
    );
    let client: Client | undefined;
    expect(() => (client = init(hostile))).not.toThrow();
    expect(client?.isActive).toBe(false);
    expect(getClient()).toBeUndefined();
    expect(warnings('init failed internally')).toHaveLength(1);
  });

  it('warns once when no exporter is configured', () => {
    init({ flushIntervalMs: 0 });
    expect(warnings('no exporter is configured')).toHaveLength(1);
  });

  it('starts a new client after close(), even one not awaited', async () => {
    const first = init({ exporters: [memoryExporter()], flushIntervalMs: 0 });
    const closing = close();
    const second = init({ exporters: [memoryExporter()], flushIntervalMs: 0 });
    expect(second).not.toBe(first);
    expect(second.isActive).toBe(true);
    await closing;
    expect(getClient()).toBe(second);
  });
});

describe('initWithRuntime', () => {
  it('installs the runtime’s context manager, adds its exporters and runs its setup with the client', async () => {
    const stack = createStackContextManager();
    const withSpy = vi.fn((context: ActiveContext, fn: () => unknown) => stack.with(context, fn));
    const contextManager: ContextManager = { active: () => stack.active(), with: withSpy as ContextManager['with'] };
    const fromEnvironment = memoryExporter();
    const setup = vi.fn();
    const client = initWithRuntime({ flushIntervalMs: 0 }, { contextManager, defaultExporters: () => [fromEnvironment], setup });
    // The runtime's manager may be wrapped (see trace/tracing-bridge), but it is the one that keeps the context.
    expect(getContextManager().with({}, () => 'inside')).toBe('inside');
    expect(withSpy).toHaveBeenCalledOnce();
    expect(client.exporterNames()).toEqual(['memory']);
    expect(setup).toHaveBeenCalledOnce();
    expect(setup).toHaveBeenCalledWith(client);
    metrics.count('from.runtime');
    await flush();
    expect(fromEnvironment.total('from.runtime')).toBe(1);
  });

  it('runs what setup registered with onClose when the client closes', async () => {
    const cleanup = vi.fn();
    initWithRuntime({ flushIntervalMs: 0 }, { setup: (client) => client.onClose(cleanup) });
    await close();
    await close();
    expect(cleanup).toHaveBeenCalledOnce();
  });

  it('keeps a working client, and no orphan, when the runtime setup throws', async () => {
    const memory = memoryExporter();
    const client = initWithRuntime(
      { exporters: [memory], flushIntervalMs: 0 },
      {
        setup() {
          throw new Error('listener install failed');
        },
      },
    );
    expect(client.isActive).toBe(true);
    expect(getClient()).toBe(client);
    metrics.count('still.works');
    await flush();
    expect(memory.total('still.works')).toBe(1);
    expect(warnings('listener install failed')).toHaveLength(1);
  });

  it('keeps a working client when an exporter’s name cannot be read', async () => {
    const hostile: Exporter = {
      get name(): string {
        throw new Error('name getter');
      },
      exportMetrics: () => undefined,
    };
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const client = initWithRuntime({ exporters: [hostile], flushIntervalMs: 0, debug: true }, {});
    expect(getClient()).toBe(client);
    expect(client.isActive).toBe(true);
    metrics.count('x');
    // Flushing reaches the exporter's name too: it fails, and says so, but does not reject.
    await expect(flush()).resolves.toBe(false);
    expect(warnings('name getter').length).toBeGreaterThan(0);
  });
});
