import { debugLogger } from '../internal/debug-logger';

/**
 * The recorders' default prefix: none. `init({ prefix })` already namespaces every metric of a
 * deployment, so a second default layer would only give `shop.app.api.call.duration`.
 */
export const DEFAULT_RECORDER_PREFIX = '';

/** A prefix as given to `createRecorders`/`processorMetrics`, checked; trailing dots go (`'app.'` → `'app'`). */
export function resolveRecorderPrefix(prefix: unknown, where: string): string {
  if (prefix === undefined) return DEFAULT_RECORDER_PREFIX;
  if (typeof prefix === 'string') return prefix.replace(/\.+$/, '');
  debugLogger.warnOnce(`${where}:prefix`, `${where}({ prefix }): prefix must be a string such as "checkout"; no prefix was used.`);
  return DEFAULT_RECORDER_PREFIX;
}

/** `prefix.name`, or `name` alone when there is no prefix. */
export function recorderMetricName(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}
