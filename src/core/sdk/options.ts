import { sanitizeAttributes, type Attributes } from '../internal/attributes';
import { debugLogger } from '../internal/debug-logger';
import { isExporter, type Exporter } from '../export/exporter';
import { isIntegration, type Integration } from './integration';
import { DEFAULT_MAX_SERIES_PER_METRIC } from '../metrics/metric-defaults';
import type { MetricPoint } from '../metrics/types';
import type { SamplingContext, TracingOptions } from '../trace/tracing-options';
import type { Propagators } from '../trace/propagators';
export type { SamplingContext };

/** Options of `init`. Every one is optional; a bad value is warned about once and replaced by its default. */
export interface IsometerOptions extends TracingOptions {
  /**
   * The Sentry SDK module the app initialised (`import * as Sentry from '@sentry/node'`): Sentry
   * then owns tracing. Found by itself when `dsn` is given or Sentry is already initialised.
   */
  sentry?: unknown;
  /** `service.name` for OTLP; defaults to `OTEL_SERVICE_NAME` in Node. */
  serviceName?: string;
  /** Backends, in addition to those `dsn` and the environment switch on. */
  exporters?: Exporter[];
  /** Extra setup run once the client exists, e.g. `browserTracingIntegration()`. */
  integrations?: Integration[];
  /**
   * Keep a distribution value only when the trace it was recorded in is kept (values outside
   * any trace are always kept), and record the rate on the point (`sampleRate`) so totals can be
   * extrapolated. Counters are never sampled. Default false.
   */
  sampleDistributionsWithTraces?: boolean;
  /**
   * Node: incoming requests to leave untraced (health checks, telemetry tunnels), given the
   * request's URL (path and query) and method.
   */
  ignoreIncomingRequests?: (url: string, method: string) => boolean;
  /** How often aggregates are sent, in ms; 0 turns the timer off. Default 10000. */
  flushIntervalMs?: number;
  /** Distinct attribute sets per metric per interval before new ones fold into an overflow series. Default 2000. */
  maxSeriesPerMetric?: number;
  /** Attributes added to every metric point (a point's own attributes win). */
  globalAttributes?: Record<string, unknown>;
  /** Prepended with a dot to every metric name: `prefix: 'shop'` turns `cart.add` into `shop.cart.add`. */
  prefix?: string;
  /** Sees each aggregated point before export; return it (changed or not), or null to drop it. */
  beforeSendMetric?: (point: MetricPoint) => MetricPoint | null | undefined;
  /** Verbose logging. */
  debug?: boolean;
  /** How long one exporter call may take before its data counts as dropped. Default 10000. */
  exportTimeoutMs?: number;
  /**
   * Also send isometer's own loss through the exporters, once a flush, as deltas:
   * `isometer.telemetry.dropped{reason, exporter}`, `isometer.telemetry.exported_points{exporter}`
   * and `isometer.telemetry.overflowed_series`. Default false: they are billed series on every backend.
   */
  selfTelemetry?: boolean;
}

/** Options after validation, with defaults applied. */
export interface ResolvedOptions extends Omit<IsometerOptions, 'exporters' | 'integrations' | 'globalAttributes'> {
  exporters: Exporter[];
  integrations: Integration[];
  flushIntervalMs: number;
  maxSeriesPerMetric: number;
  globalAttributes: Attributes;
  prefix: string;
  exportTimeoutMs: number;
  propagateTraceparent: boolean;
  unsampledPropagation: 'decided' | 'deferred';
  /**
   * The header families to write and read, when Node's `OTEL_PROPAGATORS` names them. Unset:
   * write `sentry` and `baggage` (and `tracecontext` with `propagateTraceparent`), read all.
   */
  propagators?: Propagators;
  debug: boolean;
}

export const DEFAULT_FLUSH_INTERVAL_MS = 10_000;
export const DEFAULT_EXPORT_TIMEOUT_MS = 10_000;

/**
 * Validates `init` options: returns undefined (and warns) when `options` is not an object at
 * all, otherwise the options with each bad value warned about and replaced by its default.
 */
export function resolveOptions(options: unknown): ResolvedOptions | undefined {
  const resolved = resolveFrontOptions(options);
  return resolved && completeOptions(resolved, (options ?? {}) as Record<string, unknown>);
}

/**
 * The part of `resolveOptions` a page needs before its engine loads: what tracing, integrations
 * and the debug logger read. The rest keeps its defaults until `completeOptions` (the engine's
 * first step) validates it, so a page does not download that validation up front.
 */
export function resolveFrontOptions(options: unknown): ResolvedOptions | undefined {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    debugLogger.warnOnce('init:options', process.env.NODE_ENV !== 'production' && 'init(options): options must be an object, e.g. init({ tracesSampleRate: 0.1 }); isometer stays disabled.');
    return undefined;
  }
  const raw = options as Record<string, unknown>;
  const debug = raw.debug === true;
  debugLogger.setVerbose(debug);
  return {
    dsn: optionalString(raw, 'dsn'),
    sentry: raw.sentry,
    release: optionalString(raw, 'release'),
    environment: optionalString(raw, 'environment'),
    integrations: integrations(raw.integrations),
    tracesSampleRate: rate(raw, 'tracesSampleRate'),
    tracesSampler: optionalFunction(raw, 'tracesSampler') as IsometerOptions['tracesSampler'],
    tracePropagationTargets: targets(raw.tracePropagationTargets),
    propagateTraceparent: raw.propagateTraceparent === true,
    unsampledPropagation: unsampledPropagation(raw.unsampledPropagation),
    debug,
    // Validated by completeOptions.
    exporters: [],
    flushIntervalMs: DEFAULT_FLUSH_INTERVAL_MS,
    maxSeriesPerMetric: DEFAULT_MAX_SERIES_PER_METRIC,
    globalAttributes: {},
    prefix: '',
    exportTimeoutMs: DEFAULT_EXPORT_TIMEOUT_MS,
  };
}

/** Validates the options `resolveFrontOptions` left at their defaults (metrics and export), into `resolved`. */
export function completeOptions(resolved: ResolvedOptions, raw: Record<string, unknown>): ResolvedOptions {
  resolved.serviceName = optionalString(raw, 'serviceName');
  resolved.exporters = exporters(raw.exporters);
  resolved.sampleDistributionsWithTraces = raw.sampleDistributionsWithTraces === true;
  resolved.ignoreIncomingRequests = optionalFunction(raw, 'ignoreIncomingRequests') as IsometerOptions['ignoreIncomingRequests'];
  resolved.flushIntervalMs = number(raw, 'flushIntervalMs', DEFAULT_FLUSH_INTERVAL_MS, 0, process.env.NODE_ENV !== 'production' && 'a number of milliseconds ≥ 0 (0 turns the timer off)');
  resolved.maxSeriesPerMetric = Math.floor(number(raw, 'maxSeriesPerMetric', DEFAULT_MAX_SERIES_PER_METRIC, 1, process.env.NODE_ENV !== 'production' && 'a whole number ≥ 1'));
  resolved.globalAttributes = sanitizeAttributes(raw.globalAttributes, 'init({ globalAttributes })').attributes;
  resolved.prefix = prefix(raw.prefix);
  resolved.beforeSendMetric = optionalFunction(raw, 'beforeSendMetric') as IsometerOptions['beforeSendMetric'];
  resolved.exportTimeoutMs = number(raw, 'exportTimeoutMs', DEFAULT_EXPORT_TIMEOUT_MS, 1, process.env.NODE_ENV !== 'production' && 'a number of milliseconds ≥ 1');
  resolved.selfTelemetry = flag(raw, 'selfTelemetry');
  return resolved;
}

/** `expected` is written `process.env.NODE_ENV !== 'production' && '…'`, so production bundles leave it out (see `debugLogger.warnOnce`). */
function warnOption(name: string, expected: string | false): void {
  debugLogger.warnOnce(`init:${name}`, process.env.NODE_ENV !== 'production' && `init({ ${name} }): expected ${expected}; the option was ignored.`);
}

function optionalString(raw: Record<string, unknown>, name: string): string | undefined {
  const value = raw[name];
  if (value === undefined || (typeof value === 'string' && value.length > 0)) return value as string | undefined;
  warnOption(name, process.env.NODE_ENV !== 'production' && 'a non-empty string');
  return undefined;
}

function optionalFunction(raw: Record<string, unknown>, name: string): unknown {
  const value = raw[name];
  if (value === undefined || typeof value === 'function') return value;
  warnOption(name, process.env.NODE_ENV !== 'production' && 'a function');
  return undefined;
}

function flag(raw: Record<string, unknown>, name: string): boolean {
  const value = raw[name];
  if (value === undefined || typeof value === 'boolean') return value === true;
  warnOption(name, process.env.NODE_ENV !== 'production' && 'true or false');
  return false;
}

function rate(raw: Record<string, unknown>, name: string): number | undefined {
  const value = raw[name];
  if (value === undefined) return undefined;
  if (typeof value === 'number' && value >= 0 && value <= 1) return value;
  warnOption(name, process.env.NODE_ENV !== 'production' && 'a number from 0 to 1');
  return undefined;
}

function number(raw: Record<string, unknown>, name: string, fallback: number, min: number, expected: string | false): number {
  const value = raw[name];
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isFinite(value) && value >= min) return value;
  warnOption(name, expected);
  return fallback;
}

function exporters(value: unknown): Exporter[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    warnOption('exporters', process.env.NODE_ENV !== 'production' && 'an array of exporters, e.g. [consoleExporter()]');
    return [];
  }
  return value.filter((candidate, position) => {
    if (isExporter(candidate)) return true;
    debugLogger.warnOnce(
      `init:exporters:${position}`,
      process.env.NODE_ENV !== 'production' && `init({ exporters }): entry ${position} is not an exporter (an object with exportMetrics or exportSpans); it was skipped.`,
    );
    return false;
  });
}

function integrations(value: unknown): Integration[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    warnOption('integrations', process.env.NODE_ENV !== 'production' && 'an array of integrations, e.g. [browserTracingIntegration()]');
    return [];
  }
  const named = new Map<string, Integration>();
  value.forEach((candidate, position) => {
    if (isIntegration(candidate)) named.set(candidate.name, candidate);
    else
      debugLogger.warnOnce(
        `init:integrations:${position}`,
        process.env.NODE_ENV !== 'production' && `init({ integrations }): entry ${position} is not an integration (an object with a name and setup); it was skipped.`,
      );
  });
  return [...named.values()];
}

function targets(value: unknown): Array<string | RegExp> | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((target) => typeof target === 'string' || target instanceof RegExp)) return value as Array<string | RegExp>;
  warnOption('tracePropagationTargets', process.env.NODE_ENV !== 'production' && 'an array of strings and RegExps');
  return undefined;
}

function unsampledPropagation(value: unknown): 'decided' | 'deferred' {
  if (value === undefined || value === 'decided' || value === 'deferred') return value ?? 'decided';
  warnOption('unsampledPropagation', process.env.NODE_ENV !== 'production' && "'decided' or 'deferred'");
  return 'decided';
}

function prefix(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\.+$/, '');
  warnOption('prefix', process.env.NODE_ENV !== 'production' && 'a string such as "shop"');
  return '';
}
