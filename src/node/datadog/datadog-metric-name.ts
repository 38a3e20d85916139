// https://docs.datadoghq.com/metrics/custom_metrics/#naming-custom-metrics: names start with a
// letter, hold only ASCII alphanumerics, underscores and periods (others become underscores) and
// are at most 200 characters long.
const MAX_NAME_LENGTH = 200;
const NOT_ALLOWED = /[^A-Za-z0-9_.]/g;
const LEADING = /^[^A-Za-z]+/;

/**
 * A metric name as Datadog accepts it, or `undefined` when nothing of it is left (counted by the
 * caller as `invalid_name`). Doing Datadog's own conversion here keeps the intake from refusing
 * the whole request for one name.
 *
 * @example
 * datadogMetricName('http.server.request.duration'); // → 'http.server.request.duration'
 * datadogMetricName('cache hit-rate');               // → 'cache_hit_rate'
 */
export function datadogMetricName(name: string): string | undefined {
  const converted = name.replace(NOT_ALLOWED, '_').replace(LEADING, '').slice(0, MAX_NAME_LENGTH);
  return converted === '' ? undefined : converted;
}
