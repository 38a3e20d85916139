import type { Attributes } from '../../core/internal/attributes';

/** Label name → value, in order. */
export type LabelPairs = Array<[string, string]>;

/**
 * Attributes as Prometheus labels (OpenTelemetry, "Prometheus and OpenMetrics Compatibility",
 * attributes): characters outside `[a-zA-Z0-9_]` become `_`; a name that starts with a digit gets
 * `key_` in front and one that starts with `__` (reserved for Prometheus) gets `key`; attributes
 * whose names collide after that are joined with `;` in the order of their original keys. Label
 * names a format reserves for itself (`le` on histograms) get `key_`. Sorted by label name.
 *
 * @example
 * prometheusLabels({ 'http.route': '/cart', 'http.method': 'GET' }); // → [['http_method', 'GET'], ['http_route', '/cart']]
 */
export function prometheusLabels(attributes: Attributes, reserved?: string): LabelPairs {
  const byName = new Map<string, string>();
  for (const key of Object.keys(attributes).sort()) {
    const name = labelName(key, reserved);
    const value = String(attributes[key]);
    const previous = byName.get(name);
    byName.set(name, previous === undefined ? value : `${previous};${value}`);
  }
  return [...byName].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

// Attribute keys repeat across series: sanitise each once. Bounded, since keys come and go.
const LABEL_NAMES = new Map<string, string>();
const MAX_CACHED_LABELS = 10_000;

function labelName(key: string, reserved: string | undefined): string {
  let name = LABEL_NAMES.get(key);
  if (name === undefined) {
    if (LABEL_NAMES.size >= MAX_CACHED_LABELS) LABEL_NAMES.clear();
    name = sanitize(key);
    LABEL_NAMES.set(key, name);
  }
  return name === reserved ? `key_${name}` : name;
}

function sanitize(key: string): string {
  let name = key.replace(/[^a-zA-Z0-9_]/g, '_');
  if (name === '' || /^[0-9]/.test(name)) name = `key_${name}`;
  else if (name.startsWith('__')) name = `key${name}`;
  return name;
}
