import { getCarrierClient, getNotInitializedDrops, getReportingClient } from '../carrier';
import { debugLogger } from '../internal/debug-logger';
import type { DroppedCounts } from '../internal/drop-counter';

/**
 * Sends everything aggregated so far. Resolves true when every exporter accepted it within
 * `timeoutMs`, false otherwise (and when isometer is not initialised); never rejects.
 *
 * @example
 * await flush(2000);
 */
export async function flush(timeoutMs?: number): Promise<boolean> {
  try {
    const client = getCarrierClient();
    return client ? await client.flush(validTimeout(timeoutMs)) : false;
  } catch (error) {
    debugLogger.internalError('flush', error);
    return false;
  }
}

/**
 * Flushes and shuts isometer down: timers, listeners and exporters. Later calls record nothing
 * until the next `init`. Resolves like `flush`.
 *
 * @example
 * process.on('SIGTERM', async () => { await close(2000); process.exit(0); });
 * // `process.exit()` ends Node at once and nothing is flushed: await close() before it.
 */
export async function close(timeoutMs?: number): Promise<boolean> {
  try {
    const client = getCarrierClient();
    return client ? await client.close(validTimeout(timeoutMs)) : true;
  } catch (error) {
    debugLogger.internalError('close', error);
    return false;
  }
}

/**
 * What isometer dropped since `init`, by reason (plus `not_initialized` for calls made with no
 * client). After `close()` it keeps reporting the closed client, drops during the close included.
 *
 * @example
 * getDroppedCounts(); // → { invalid_value: 2, cardinality_overflow: 17 }
 */
export function getDroppedCounts(): DroppedCounts {
  const counts = getReportingClient()?.drops.snapshot() ?? {};
  const notInitialized = getNotInitializedDrops();
  if (notInitialized > 0) counts.not_initialized = (counts.not_initialized ?? 0) + notInitialized;
  return counts;
}

function validTimeout(timeoutMs: unknown): number | undefined {
  if (timeoutMs === undefined) return undefined;
  if (typeof timeoutMs === 'number' && timeoutMs > 0 && Number.isFinite(timeoutMs)) return timeoutMs;
  debugLogger.warnOnce('flush:timeout', 'flush/close(timeoutMs): timeoutMs must be a positive number of milliseconds; the default was used.');
  return undefined;
}
