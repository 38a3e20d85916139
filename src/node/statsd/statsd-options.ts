import { sanitizeAttributes, type Attributes } from '../../core/internal/attributes';
import { debugLogger } from '../../core/internal/debug-logger';
import type { StatsdMode } from './statsd-format';
import { DEFAULT_MAX_TIMER_VALUES, DEFAULT_PERCENT_THRESHOLDS } from './statsd-timer-values';

/** Options of `statsdExporter`. Every one is optional; a bad value is warned about once and replaced by its default. */
export interface StatsdExporterOptions {
  /** Daemon host name or IP. Default: `STATSD_HOST`, else 127.0.0.1. */
  host?: string;
  /** Daemon UDP port. Default: `STATSD_PORT`, else 8125. */
  port?: number;
  /** Prepended with a dot to every metric name (after `init`'s own `prefix`). */
  prefix?: string;
  /** Tags added to every line in DogStatsD mode; a point's attribute with the same key wins. */
  globalTags?: Record<string, string | number | boolean>;
  /**
   * `dogstatsd` (default; Datadog Agent, Telegraf's statsd input with `datadog_extensions`,
   * statsd_exporter): tags, the `d` type, value packing. `statsd`: the original protocol for the
   * Etsy `statsd` daemon and other tag-less daemons. Default: `STATSD_MODE`, else `dogstatsd`.
   */
  mode?: StatsdMode;
  /**
   * Plain-StatsD mode: the daemon's `percentThreshold` setting (default [90], the daemon's own
   * default), so its `upper_N`/`mean_N` figures come out right. Each in (0, 100).
   */
  percentThreshold?: number[];
  /** Plain-StatsD mode: most timer values sent per distribution series per interval, 10…10000. Default 100. */
  maxTimerValues?: number;
  /** Largest datagram, in bytes of UTF-8, 64…65507. Default 1432. */
  maxDatagramBytes?: number;
  /** Where `STATSD_HOST`, `STATSD_PORT` and `STATSD_MODE` are read. Default: `process.env`. */
  env?: Record<string, string | undefined>;
}

/** Options after validation, with defaults applied. */
export interface ResolvedStatsdOptions {
  host: string;
  port: number;
  prefix: string;
  globalTags: Attributes;
  mode: StatsdMode;
  maxDatagramBytes: number;
  percentThresholds: readonly number[];
  maxTimerValues: number;
}

export const DEFAULT_STATSD_HOST = '127.0.0.1';
export const DEFAULT_STATSD_PORT = 8125;
export const DEFAULT_MAX_DATAGRAM_BYTES = 1432;
// The largest UDP payload over IPv4: 65535 less the IP and UDP headers.
const MAX_UDP_PAYLOAD = 65507;
const MIN_DATAGRAM_BYTES = 64;

/**
 * Validates `statsdExporter` options against the environment (`STATSD_HOST`, `STATSD_PORT`,
 * `STATSD_MODE`); an option always wins over the environment.
 * Never throws: each bad value is one warning naming the option, then its default.
 *
 * @example
 * resolveStatsdOptions({ port: 9125 }, process.env); // → { host: '127.0.0.1', port: 9125, mode: 'dogstatsd', … }
 */
export function resolveStatsdOptions(options: unknown, env: Record<string, string | undefined>): ResolvedStatsdOptions {
  let raw: Record<string, unknown> = {};
  if (typeof options === 'object' && options !== null && !Array.isArray(options)) raw = options as Record<string, unknown>;
  else if (options !== undefined) warn('options', 'an object such as { port: 8125 }', 'the defaults');
  return {
    host: host(raw.host, env.STATSD_HOST),
    port: port(raw.port, env.STATSD_PORT),
    prefix: prefix(raw.prefix),
    globalTags: globalTags(raw.globalTags),
    mode: mode(raw.mode, env.STATSD_MODE),
    maxDatagramBytes: maxDatagramBytes(raw.maxDatagramBytes),
    percentThresholds: percentThresholds(raw.percentThreshold),
    maxTimerValues: maxTimerValues(raw.maxTimerValues),
  };
}

function warn(option: string, expected: string, fallback: string): void {
  debugLogger.warnOnce(`statsdExporter:${option}`, `statsdExporter({ ${option} }): expected ${expected}; using ${fallback}.`);
}

function host(value: unknown, fromEnv: string | undefined): string {
  if (value !== undefined) {
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    warn('host', 'a non-empty host name or IP address', `STATSD_HOST or ${DEFAULT_STATSD_HOST}`);
  }
  return fromEnv?.trim() || DEFAULT_STATSD_HOST;
}

function port(value: unknown, fromEnv: string | undefined): number {
  if (value !== undefined) {
    if (isPort(value)) return value;
    warn('port', 'a whole number from 1 to 65535', `STATSD_PORT or ${DEFAULT_STATSD_PORT}`);
  }
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const parsed = Number(fromEnv);
    if (isPort(parsed)) return parsed;
    debugLogger.warnOnce('statsdExporter:STATSD_PORT', `STATSD_PORT=${JSON.stringify(fromEnv)} is not a port (1 to 65535); using ${DEFAULT_STATSD_PORT}.`);
  }
  return DEFAULT_STATSD_PORT;
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

function prefix(value: unknown): string {
  if (value === undefined) return '';
  // Dots at the ends would make empty path segments once joined with `.`.
  if (typeof value === 'string') return value.replace(/^\.+|\.+$/g, '');
  warn('prefix', 'a string', 'no prefix');
  return '';
}

function globalTags(value: unknown): Attributes {
  return sanitizeAttributes(value, 'statsdExporter({ globalTags })').attributes;
}

function mode(value: unknown, fromEnv: string | undefined): StatsdMode {
  if (value === 'dogstatsd' || value === 'statsd') return value;
  if (value !== undefined) warn('mode', "'dogstatsd' or 'statsd'", "STATSD_MODE or 'dogstatsd'");
  const named = fromEnv?.trim().toLowerCase();
  if (named === undefined || named === '') return 'dogstatsd';
  if (named === 'dogstatsd' || named === 'statsd') return named;
  debugLogger.warnOnce('statsdExporter:STATSD_MODE', `STATSD_MODE=${JSON.stringify(fromEnv)} is not "statsd" or "dogstatsd"; using dogstatsd.`);
  return 'dogstatsd';
}

function percentThresholds(value: unknown): readonly number[] {
  if (value === undefined) return DEFAULT_PERCENT_THRESHOLDS;
  if (Array.isArray(value) && value.length > 0 && value.every((percent) => typeof percent === 'number' && percent > 0 && percent < 100)) return [...(value as number[])];
  warn('percentThreshold', 'a non-empty array of percentages above 0 and below 100, such as [90, 99]', `[${DEFAULT_PERCENT_THRESHOLDS.join(', ')}]`);
  return DEFAULT_PERCENT_THRESHOLDS;
}

function maxTimerValues(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_TIMER_VALUES;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 10 && value <= 10_000) return value;
  warn('maxTimerValues', 'a whole number from 10 to 10000', String(DEFAULT_MAX_TIMER_VALUES));
  return DEFAULT_MAX_TIMER_VALUES;
}

function maxDatagramBytes(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_DATAGRAM_BYTES;
  if (typeof value === 'number' && Number.isInteger(value) && value >= MIN_DATAGRAM_BYTES && value <= MAX_UDP_PAYLOAD) return value;
  warn('maxDatagramBytes', `a whole number of bytes from ${MIN_DATAGRAM_BYTES} to ${MAX_UDP_PAYLOAD}`, String(DEFAULT_MAX_DATAGRAM_BYTES));
  return DEFAULT_MAX_DATAGRAM_BYTES;
}
