import type { SpanData } from '../core/trace/span-data';
import type { CapturedPoint, TelemetrySnapshot } from './telemetry-snapshot';

/**
 * Reads a body as `{ points, spans }`, keeping only entries with the fields the matchers use, so
 * a malformed entry cannot break a check. Throws when the body is not that shape at all.
 *
 * @example
 * parseSnapshot(await response.json()).points.length;
 */
export function parseSnapshot(body: unknown): TelemetrySnapshot {
  const shape = body as { points?: unknown; spans?: unknown } | null;
  if (typeof shape !== 'object' || shape === null || !Array.isArray(shape.points) || !Array.isArray(shape.spans)) {
    throw new Error(`expected a JSON object { points: [...], spans: [...] }, got ${JSON.stringify(body)?.slice(0, 200)}`);
  }
  const points = shape.points.filter((point): point is CapturedPoint => isObject(point) && typeof point.name === 'string' && typeof point.type === 'string');
  const spans = shape.spans.filter((span): span is SpanData => isObject(span) && typeof span.traceId === 'string' && typeof span.name === 'string');
  for (const point of points) {
    point.attributes ??= {};
    point.exemplars ??= [];
  }
  for (const span of spans) span.attributes ??= {};
  return { points, spans };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
