import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { close, flush, initWithRuntime, memoryExporter, metrics, withAttributes, type MemoryExporter } from '../../../../src/core/index';
import { createStackContextManager, type ContextManager } from '../../../../src/core/internal/context';
import { debugLogger } from '../../../../src/core/internal/debug-logger';
import { createAsyncContextManager } from '../../../../src/node/async-context-manager';

let memory: MemoryExporter;

function start(contextManager: ContextManager): void {
  memory = memoryExporter();
  initWithRuntime({ exporters: [memory], flushIntervalMs: 0 }, { contextManager });
}

async function attributesOf(name: string): Promise<Array<Record<string, unknown>>> {
  await flush();
  return memory.find(name).map((point) => point.attributes);
}

/** A promise the test settles itself, so async steps interleave in a known order. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(async () => {
  await close();
  debugLogger.resetWarnings();
  vi.restoreAllMocks();
});

describe.each([
  ['the synchronous stack', createStackContextManager],
  ['Node’s async context', createAsyncContextManager],
])('withAttributes with %s', (_label, createManager) => {
  it('adds its attributes to metrics recorded inside, and only inside', async () => {
    start(createManager());
    withAttributes({ tenant: 'acme' }, () => metrics.count('jobs'));
    metrics.count('jobs');
    expect(await attributesOf('jobs')).toEqual([{ tenant: 'acme' }, {}]);
  });

  it('merges nested scopes, the inner value winning, and restores the outer one after', async () => {
    start(createManager());
    withAttributes({ tenant: 'acme', tier: 'free' }, () => {
      withAttributes({ tier: 'pro', region: 'eu' }, () => metrics.gauge('load', 1));
      metrics.gauge('load', 2);
    });
    expect(await attributesOf('load')).toEqual([
      { region: 'eu', tenant: 'acme', tier: 'pro' },
      { tenant: 'acme', tier: 'free' },
    ]);
  });

  it('lets the call’s own attributes win over the scope', async () => {
    start(createManager());
    withAttributes({ tier: 'free' }, () => metrics.distribution('latency', 5, { attributes: { tier: 'pro' } }));
    expect(await attributesOf('latency')).toEqual([{ tier: 'pro' }]);
  });

  it('returns what fn returns and rethrows what it throws, unchanged', () => {
    start(createManager());
    expect(withAttributes({ a: 1 }, () => 42)).toBe(42);
    const error = new RangeError('user error');
    expect(() =>
      withAttributes({ a: 1 }, () => {
        throw error;
      }),
    ).toThrow(error);
  });

  it('still runs fn when the attributes are unusable, and warns once', async () => {
    start(createManager());
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('ownKeys');
        },
      },
    );
    for (let i = 0; i < 3; i++) expect(withAttributes(hostile, () => metrics.count('jobs'))).toBeUndefined();
    expect(withAttributes(42 as unknown as Record<string, unknown>, () => 'ran')).toBe('ran');
    expect(await attributesOf('jobs')).toEqual([{}]);
    const warnings = vi.mocked(console.warn).mock.calls.map((args) => args.join(' '));
    expect(warnings.filter((line) => line.includes('withAttributes: the attributes object could not be read'))).toHaveLength(1);
    expect(warnings.filter((line) => line.includes('withAttributes: attributes must be a plain object'))).toHaveLength(1);
  });

  it('runs nothing and warns when fn is not a function', () => {
    start(createManager());
    expect(withAttributes({ a: 1 }, null as unknown as () => void)).toBeUndefined();
    expect(vi.mocked(console.warn).mock.calls.map((args) => args.join(' '))).toEqual([expect.stringContaining('withAttributes(attributes, fn): fn must be a function')]);
  });
});

describe('withAttributes across await', () => {
  it('follows await in Node through the async context manager', async () => {
    start(createAsyncContextManager());
    const step = deferred();
    const work = withAttributes({ tenant: 'acme' }, async () => {
      await step.promise;
      metrics.count('after.await');
      await new Promise((resolve) => setImmediate(resolve));
      metrics.count('after.io');
    });
    step.resolve();
    await work;
    expect(await attributesOf('after.await')).toEqual([{ tenant: 'acme' }]);
    expect(memory.find('after.io')[0].attributes).toEqual({ tenant: 'acme' });
  });

  it('keeps interleaved async scopes apart', async () => {
    start(createAsyncContextManager());
    const first = deferred();
    const second = deferred();
    const a = withAttributes({ tenant: 'a' }, async () => {
      await first.promise;
      metrics.count('job');
    });
    const b = withAttributes({ tenant: 'b' }, async () => {
      await second.promise;
      metrics.count('job');
    });
    second.resolve();
    await b;
    first.resolve();
    await a;
    expect(await attributesOf('job')).toEqual([{ tenant: 'b' }, { tenant: 'a' }]);
  });

  it('covers only the synchronous part with the core’s stack manager (documented)', async () => {
    start(createStackContextManager());
    const step = deferred();
    const work = withAttributes({ tenant: 'acme' }, async () => {
      metrics.count('before.await');
      await step.promise;
      metrics.count('after.await');
    });
    step.resolve();
    await work;
    expect(await attributesOf('before.await')).toEqual([{ tenant: 'acme' }]);
    expect(memory.find('after.await')[0].attributes).toEqual({});
  });
});
