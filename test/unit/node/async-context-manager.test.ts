import { describe, expect, it } from 'vitest';
import type { ActiveContext } from '../../../src/core/internal/context';
import { createAsyncContextManager } from '../../../src/node/async-context-manager';

const scope = (tenant: string): ActiveContext => ({ scope: { attributes: { tenant }, key: tenant } });

describe('createAsyncContextManager', () => {
  it('has no active context outside with()', () => {
    expect(createAsyncContextManager().active()).toBeUndefined();
  });

  it('makes the context active inside with() and returns what fn returns', () => {
    const manager = createAsyncContextManager();
    const context = scope('acme');
    expect(manager.with(context, () => manager.active())).toBe(context);
    expect(manager.active()).toBeUndefined();
  });

  it('restores the outer context after a nested with()', () => {
    const manager = createAsyncContextManager();
    const outer = scope('outer');
    const inner = scope('inner');
    const seen = manager.with(outer, () => [manager.with(inner, () => manager.active()), manager.active()]);
    expect(seen).toEqual([inner, outer]);
  });

  it('rethrows what fn throws and restores the outer context', () => {
    const manager = createAsyncContextManager();
    const error = new Error('user');
    expect(() =>
      manager.with(scope('a'), () => {
        throw error;
      }),
    ).toThrow(error);
    expect(manager.active()).toBeUndefined();
  });

  it('follows the context across await, timers and I/O callbacks', async () => {
    const manager = createAsyncContextManager();
    const context = scope('acme');
    const seen = await manager.with(context, async () => {
      const afterAwait = (await Promise.resolve(), manager.active());
      const inTimer = await new Promise<ActiveContext | undefined>((resolve) => setTimeout(() => resolve(manager.active()), 0));
      const inImmediate = await new Promise<ActiveContext | undefined>((resolve) => setImmediate(() => resolve(manager.active())));
      return [afterAwait, inTimer, inImmediate];
    });
    expect(seen).toEqual([context, context, context]);
    expect(manager.active()).toBeUndefined();
  });

  it('keeps two managers independent', () => {
    const first = createAsyncContextManager();
    const second = createAsyncContextManager();
    expect(first.with(scope('a'), () => second.active())).toBeUndefined();
  });
});
