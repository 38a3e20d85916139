let depth = 0;

/**
 * Runs `fn` with request instrumentation off, so an exporter's own requests make no spans and
 * carry no trace headers (they would otherwise trace themselves forever).
 *
 * @example
 * suppressTracing(() => fetch(collectorUrl, { method: 'POST', body }));
 */
export function suppressTracing<T>(fn: () => T): T {
  depth++;
  try {
    return fn();
  } finally {
    depth--;
  }
}

/** True inside `suppressTracing`. */
export function isTracingSuppressed(): boolean {
  return depth > 0;
}
