import type { DroppedCounts } from '../core/internal/drop-counter';
import type { ResolvedOptions } from '../core/sdk/options';

/**
 * What the browser `init` returns: the client's controls, usable at once, while isometer's engine
 * (aggregation, exporters, delivery) is still loading in its own chunk. `Client` has all of them.
 *
 * @example
 * const client = init({ exporters: [otlpExporter({ endpoint })] });
 * addEventListener('beforeprint', () => void client.flush());
 */
export interface BrowserClient {
  /** False once `close()` was called (or for the disabled client a bad `init` returns). */
  readonly isActive: boolean;
  readonly options: ResolvedOptions;
  /** Sends what is pending; before the engine has loaded, waits for it within `timeoutMs`. */
  flush(timeoutMs?: number): Promise<boolean>;
  /** Flushes and shuts down, as `flush` waits for the engine. */
  close(timeoutMs?: number): Promise<boolean>;
  /** What was dropped since `init`, by reason. */
  getDroppedCounts(): DroppedCounts;
  /** Runs `cleanup` when the client closes. */
  onClose(cleanup: () => void): void;
}
