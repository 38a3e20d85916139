/**
 * StatsD / DogStatsD datagrams → points. A datagram holds lines `name:value[:value…]|type[|@rate][|#tags][|c:…][|T…]`
 * (https://github.com/statsd/statsd/blob/master/docs/metric_types.md,
 * https://docs.datadoghq.com/developers/dogstatsd/datagram_shell/): `c` counts (divided by the
 * sample rate), `g` gauges (`+n`/`-n` move the last value), `ms`/`h`/`d` go into a histogram
 * (each value weighted by 1 / rate). A DogStatsD `service:` tag names the service. Sets, events
 * and service checks are skipped; a line that is none of these is counted as rejected.
 */
import { histogramOfWeighted } from './histogram-math';
import type { IngestBatch, ViewerAttributes, ViewerPoint } from './viewer-types';

const LINE = /^([^:|#\s][^:|]*):([^|]+)\|(c|g|ms|h|d|s)((?:\|[^|]*)*)$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * @param lastGauges gauge values by series, for `+n`/`-n` (kept by the caller across datagrams)
 * @example
 * decodeStatsd('orders:1|c|#plan:pro', new Map()).batches[0].points[0].sum; // 1
 */
export function decodeStatsd(datagram: string, lastGauges: Map<string, number>): { batches: IngestBatch[]; accepted: number; rejected: number } {
  const byService = new Map<string, ViewerPoint[]>();
  let accepted = 0;
  let rejected = 0;
  const now = Date.now();
  for (const raw of datagram.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('_e{') || line.startsWith('_sc|')) continue;
    const match = LINE.exec(line);
    if (!match) {
      rejected++;
      continue;
    }
    const [, name, valueText, type, rest] = match;
    let rate = 1;
    const attributes: ViewerAttributes = {};
    let service = 'statsd';
    let valid = true;
    for (const part of rest.split('|').slice(1)) {
      if (part.startsWith('@')) {
        rate = Number(part.slice(1));
        if (!(rate > 0 && rate <= 1)) valid = false;
      } else if (part.startsWith('#')) {
        for (const tag of part.slice(1).split(',')) {
          if (!tag) continue;
          const colon = tag.indexOf(':');
          const key = colon === -1 ? tag : tag.slice(0, colon);
          const value = colon === -1 ? '' : tag.slice(colon + 1);
          if (key === 'service' && value) service = value;
          else attributes[key] = value;
        }
      }
    }
    const texts = valueText.split(':');
    if (!valid || texts.some((text) => !NUMBER.test(text))) {
      rejected++;
      continue;
    }
    if (type === 's') continue;
    const values = texts.map(Number);
    const base = { name, attributes, startTimeMs: now, timeMs: now, exemplars: [] };
    let point: ViewerPoint;
    if (type === 'c') {
      point = { ...base, type: 'counter', unit: '', sum: values.reduce((sum, value) => sum + value / rate, 0), count: values.length };
    } else if (type === 'g') {
      const key = `${service}\u0000${name}\u0000${JSON.stringify(Object.entries(attributes).sort())}`;
      let last = lastGauges.get(key) ?? 0;
      let min = Infinity;
      let max = -Infinity;
      values.forEach((value, i) => {
        last = /^[+-]/.test(texts[i]) ? last + value : value;
        min = Math.min(min, last);
        max = Math.max(max, last);
      });
      lastGauges.set(key, last);
      point = { ...base, type: 'gauge', unit: '', last, min, max, sum: last, count: values.length };
    } else {
      const histogram = histogramOfWeighted(values.map((value) => [value, 1 / rate]));
      point = { ...base, type: 'distribution', unit: type === 'ms' ? 'millisecond' : '', histogram, count: histogram.count, sum: histogram.sum, min: histogram.min, max: histogram.max };
    }
    accepted++;
    const points = byService.get(service) ?? [];
    points.push(point);
    byService.set(service, points);
  }
  const batches = [...byService].map(([service, points]): IngestBatch => ({ origin: 'server', service, sdk: 'statsd', points, spans: [] }));
  return { batches, accepted, rejected };
}
