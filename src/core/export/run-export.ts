import { debugLogger } from '../internal/debug-logger';
import { cancelTimeout, scheduleTimeout } from '../internal/runtime-globals';
import type { DropCounter } from '../internal/drop-counter';
import type { ExportOutcome } from './exporter';
import { errorMessage } from '../internal/error-message';

/**
 * Runs one exporter call and turns whatever it does — return, throw, reject, hang — into an
 * outcome within `timeoutMs`. What did not arrive is counted against `items`. Never rejects.
 *
 * @example
 * const ok = await runExport('console', () => exporter.exportMetrics(batch), 5000, drops, batch.points.length);
 */
export function runExport(
  exporterName: string,
  call: () => void | boolean | ExportOutcome | Promise<void | boolean | ExportOutcome>,
  timeoutMs: number,
  drops: DropCounter,
  items: number,
): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    let settled = false;
    const settle = (ok: boolean, reason?: 'export_error' | 'export_timeout', detail?: unknown): void => {
      if (settled) return;
      settled = true;
      cancelTimeout(timer);
      if (!ok && reason) {
        // A call that carries no items (forceFlush, shutdown) loses none itself: its exporter counts.
        if (items > 0) drops.record(reason, items);
        debugLogger.warnOnce(
          `export:${exporterName}:${reason}`,
          `exporter "${exporterName}" ${reason === 'export_timeout' ? `did not finish within ${timeoutMs} ms` : `failed: ${errorMessage(detail)}`}${items > 0 ? `; ${items} item(s) were dropped` : ''}.`,
        );
      }
      resolve(ok);
    };
    const timer = scheduleTimeout(() => settle(false, 'export_timeout'), timeoutMs);
    let result: void | boolean | ExportOutcome | Promise<void | boolean | ExportOutcome>;
    try {
      result = call();
    } catch (error) {
      settle(false, 'export_error', error);
      return;
    }
    Promise.resolve(result).then(
      (outcome) => {
        try {
          // `false` (from forceFlush) fails without a count: the exporter counted what it dropped.
          if (outcome === false) settle(false);
          // `counted: true`: the exporter counted exactly what it lost (a partial failure).
          else if (typeof outcome === 'object' && outcome !== null && outcome.ok === false)
            outcome.counted === true ? settle(false) : settle(false, 'export_error', outcome.reason ?? 'the backend refused it');
          else settle(true);
        } catch (error) {
          // An outcome whose getters throw: the exporter did not say it succeeded.
          settle(false, 'export_error', error);
        }
      },
      (error: unknown) => settle(false, 'export_error', error),
    );
  });
}
