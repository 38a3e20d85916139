import type { TelemetrySnapshot } from './telemetry-snapshot';

/**
 * Anything the matchers can poll: `collect()` gathers what the side recorded so far (flushing
 * first where it can), and `label` names the side in failure messages. The `metrics` fixture,
 * `metrics.server`, `serverCollector()` and `devViewer()` are sources; so is any object of
 * this shape.
 *
 * @example
 * const fromFile: TelemetrySource = { label: 'replay', collect: async () => JSON.parse(await readFile('t.json', 'utf8')) };
 * await expect(fromFile).toHaveCounter('orders.created');
 */
export interface TelemetrySource {
  readonly label: string;
  collect(): Promise<TelemetrySnapshot>;
}

/** True for an object with the shape of a `TelemetrySource`. */
export function isTelemetrySource(value: unknown): value is TelemetrySource {
  return typeof value === 'object' && value !== null && typeof (value as TelemetrySource).collect === 'function';
}
