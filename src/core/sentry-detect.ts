/** The part of a Sentry client isometer looks at to stay out of Sentry's way. */
export interface DetectedSentryClient {
  getOptions?(): Record<string, unknown>;
  getIntegrationByName?(name: string): unknown;
}

interface SentryScopeLike {
  getClient?(): unknown;
}

/**
 * The Sentry client initialised in this runtime, found through Sentry's global carrier
 * (`globalThis.__SENTRY__[version].defaultCurrentScope`) without importing Sentry, or undefined.
 * Never throws.
 *
 * @example
 * if (detectSentryClient()) debugLogger.log('Sentry owns header injection here');
 */
export function detectSentryClient(): DetectedSentryClient | undefined {
  try {
    const carrier = (globalThis as { __SENTRY__?: Record<string, unknown> }).__SENTRY__;
    if (typeof carrier !== 'object' || carrier === null) return undefined;
    for (const key of Object.keys(carrier)) {
      const versioned = carrier[key] as { defaultCurrentScope?: SentryScopeLike; defaultIsolationScope?: SentryScopeLike } | undefined;
      if (typeof versioned !== 'object' || versioned === null) continue;
      const client = versioned.defaultCurrentScope?.getClient?.() ?? versioned.defaultIsolationScope?.getClient?.();
      if (client) return client as DetectedSentryClient;
    }
  } catch {
    // A foreign carrier we cannot read means "no Sentry we can see".
  }
  return undefined;
}
