import { hostname } from 'node:os';
import { debugLogger } from '../../core/internal/debug-logger';
import type { DeliveryTuning, DropRecorder } from '../../core/export/http/http-delivery';
import type { HttpTransport } from '../../core/export/http/http-transport';

/** Options of `datadogExporter`. Every one is optional; a bad value is one warning naming it, then its default. */
export interface DatadogExporterOptions extends DeliveryTuning {
  /** Sent as `DD-API-KEY`. Default `DD_API_KEY`. Without one nothing is sent (each batch is counted as `export_error`). */
  apiKey?: string;
  /** The Datadog site: `datadoghq.com`, `us3.datadoghq.com`, `datadoghq.eu`, `ap1.datadoghq.com`, `ddog-gov.com`, … Default `DD_SITE`, else `datadoghq.com`. */
  site?: string;
  /** A base URL used instead of the site's (a proxy, a test intake): `/api/v2/series` and `/api/v1/distribution_points` are appended. */
  endpoint?: string;
  /** The `host` resource of every series. Default `os.hostname()`; `''` sends none. */
  host?: string;
  /** Uncompressed bytes per request (Datadog takes at most 5 MiB uncompressed, 500 KB compressed). Default 1 MiB. */
  maxRequestBytes?: number;
  /** How requests go out. Default: the runtime's (`node:http`). */
  transport?: HttpTransport;
  /** Where drops are counted. Default: the client whose export call queued the request. */
  drops?: DropRecorder;
  /** How long `flush()`/`close()` wait for the queue to drain. Default 10000 ms. */
  flushTimeoutMs?: number;
  /** Where `DD_API_KEY` and `DD_SITE` are read. Default `process.env`. */
  env?: Record<string, string | undefined>;
}

export interface ResolvedDatadogOptions {
  apiKey: string | undefined;
  seriesUrl: string;
  distributionUrl: string;
  host: string;
  maxRequestBytes: number;
}

export const DEFAULT_DATADOG_SITE = 'datadoghq.com';
// https://docs.datadoghq.com/api/latest/metrics/#submit-metrics: "Compressed payloads must have a
// decompressed size of less than 5 megabytes (5242880 bytes)"; the compressed limit is 512000.
export const MAX_DATADOG_DECOMPRESSED_BYTES = 5_242_880;
export const MAX_DATADOG_COMPRESSED_BYTES = 512_000;
export const DEFAULT_DATADOG_REQUEST_BYTES = 1024 * 1024;
const MIN_REQUEST_BYTES = 1024;

/**
 * Validates `datadogExporter` options against the environment. The site becomes the API host by
 * Datadog's rule (`datadoghq.eu` → `https://api.datadoghq.eu`; `app.` and `api.` prefixes are
 * accepted). Never throws.
 *
 * @example
 * resolveDatadogOptions({ site: 'datadoghq.eu' }, { DD_API_KEY: 'k' }).seriesUrl; // → 'https://api.datadoghq.eu/api/v2/series'
 */
export function resolveDatadogOptions(options: DatadogExporterOptions, env: Record<string, string | undefined>): ResolvedDatadogOptions {
  const base = endpoint(options.endpoint) ?? `https://api.${site(options.site, env.DD_SITE)}`;
  return {
    apiKey: apiKey(options.apiKey, env.DD_API_KEY),
    seriesUrl: `${base}/api/v2/series`,
    distributionUrl: `${base}/api/v1/distribution_points`,
    host: host(options.host),
    maxRequestBytes: requestBytes(options.maxRequestBytes),
  };
}

function warn(option: string, expected: string, fallback: string): void {
  debugLogger.warnOnce(`datadogExporter:${option}`, `datadogExporter({ ${option} }): expected ${expected}; using ${fallback}.`);
}

function apiKey(value: unknown, fromEnv: string | undefined): string | undefined {
  if (value !== undefined) {
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    warn('apiKey', 'a non-empty string', 'DD_API_KEY');
  }
  const key = fromEnv?.trim();
  if (key) return key;
  debugLogger.warnOnce('datadogExporter:no-key', 'datadogExporter: no API key (set apiKey or DD_API_KEY); metrics for Datadog are dropped and counted.');
  return undefined;
}

const SITE = /^(?:app\.|api\.)?((?:[a-z0-9-]+\.)+[a-z]{2,})$/i;

function site(value: unknown, fromEnv: string | undefined): string {
  if (value !== undefined) {
    const match = typeof value === 'string' ? SITE.exec(value.trim()) : null;
    if (match) return match[1].toLowerCase();
    warn('site', "a Datadog site such as 'datadoghq.eu'", `DD_SITE or ${DEFAULT_DATADOG_SITE}`);
  }
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const match = SITE.exec(fromEnv.trim());
    if (match) return match[1].toLowerCase();
    debugLogger.warnOnce('datadogExporter:DD_SITE', `DD_SITE=${JSON.stringify(fromEnv)} is not a Datadog site (e.g. datadoghq.eu, us3.datadoghq.com); using ${DEFAULT_DATADOG_SITE}.`);
  }
  return DEFAULT_DATADOG_SITE;
}

function endpoint(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    try {
      const url = new URL(value);
      if (url.protocol === 'http:' || url.protocol === 'https:') return value.replace(/\/+$/, '');
    } catch {
      // Warned below.
    }
  }
  warn('endpoint', "an http(s) URL such as 'https://api.datadoghq.com'", 'the site');
  return undefined;
}

function host(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (value !== undefined) warn('host', 'a string', 'os.hostname()');
  try {
    return hostname();
  } catch {
    return '';
  }
}

function requestBytes(value: unknown): number {
  if (value === undefined) return DEFAULT_DATADOG_REQUEST_BYTES;
  if (typeof value === 'number' && Number.isFinite(value) && value >= MIN_REQUEST_BYTES && value <= MAX_DATADOG_DECOMPRESSED_BYTES) return Math.floor(value);
  warn('maxRequestBytes', `a number of bytes from ${MIN_REQUEST_BYTES} to ${MAX_DATADOG_DECOMPRESSED_BYTES}`, String(DEFAULT_DATADOG_REQUEST_BYTES));
  return DEFAULT_DATADOG_REQUEST_BYTES;
}
