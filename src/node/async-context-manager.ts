import { AsyncLocalStorage } from 'node:async_hooks';
import type { ActiveContext, ContextManager } from '../core/internal/context';

/**
 * A context manager on `AsyncLocalStorage`: the context set by `with` follows the async work
 * started inside it (promises, timers, I/O callbacks).
 *
 * @example
 * const manager = createAsyncContextManager();
 * manager.with({ scope }, async () => { await io(); manager.active(); }); // → { scope }
 */
export function createAsyncContextManager(): ContextManager {
  const storage = new AsyncLocalStorage<ActiveContext>();
  return {
    active: () => storage.getStore(),
    with: (context, fn) => storage.run(context, fn),
  };
}
