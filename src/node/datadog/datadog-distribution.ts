import { histogramValues } from '../../core/metrics/histogram-values';
import type { DistributionPoint } from '../../core/metrics/types';

/** A part of one distribution's series object, with how many of the batch's points it stands for. */
export interface DatadogPiece {
  json: string;
  items: number;
}

/**
 * One distribution as v1 distribution-point series objects
 * (https://docs.datadoghq.com/api/latest/metrics/#submit-distribution-points), JSON-encoded.
 *
 * The API takes raw values and no weights, so the exponential histogram is replayed: each
 * non-empty bucket's representative value (its log-space midpoint, see `histogramValues`) is
 * repeated as many times as the bucket counted, and the exact min and max are sent as themselves.
 * Datadog's count, min and max are therefore exact and every percentile it computes lies within
 * the histogram's relative error (0.54% at scale 6); repeated values cost little once compressed.
 * A point sampled with its trace (`sampleRate` < 1) is scaled back up, rounding as it goes so the
 * total is `count / sampleRate` rounded.
 *
 * A series whose values do not fit in `budget` bytes is split into several objects (each its own
 * request); only the first counts as the point, so a lost distribution is counted once.
 *
 * @example
 * datadogDistribution(point, 'db.query', ['table:orders'], 'web-1', 1_000_000);
 * // → [{ json: '{"metric":"db.query","points":[[1733222400,[0.8,1.02,1.02,4.9]]],"tags":["table:orders"],"host":"web-1","type":"distribution"}', items: 1 }]
 */
export function datadogDistribution(point: DistributionPoint, metric: string, tags: string[], host: string, budget: number): DatadogPiece[] {
  const head = `{"metric":${JSON.stringify(metric)},"points":[[${Math.floor(point.timeMs / 1000)},[`;
  const tail = `]]]${tags.length > 0 ? `,"tags":${JSON.stringify(tags)}` : ''}${host !== '' ? `,"host":${JSON.stringify(host)}` : ''},"type":"distribution"}`;
  const room = Math.max(64, budget - head.length - tail.length);
  const pieces: DatadogPiece[] = [];
  let parts: string[] = [];
  let used = 0;
  const close = (): void => {
    if (parts.length === 0) return;
    // Each part ends with a comma; the last one's is cut.
    const values = parts.join('');
    pieces.push({ json: head + values.slice(0, -1) + tail, items: pieces.length === 0 ? 1 : 0 });
    parts = [];
    used = 0;
  };
  const scale = typeof point.sampleRate === 'number' && point.sampleRate > 0 && point.sampleRate < 1 ? 1 / point.sampleRate : 1;
  let recorded = 0;
  let sent = 0;
  for (const { value, count } of histogramValues(point)) {
    if (!Number.isFinite(value)) continue;
    recorded += count;
    let repeat = scale === 1 ? count : Math.round(recorded * scale) - sent;
    sent += repeat;
    const token = `${value === point.min || value === point.max ? value : Number(value.toPrecision(7))},`;
    while (repeat > 0) {
      const fits = Math.min(repeat, Math.floor((room - used) / token.length));
      if (fits === 0) {
        close();
        continue;
      }
      parts.push(fits === 1 ? token : token.repeat(fits));
      used += fits * token.length;
      repeat -= fits;
    }
  }
  close();
  return pieces;
}
