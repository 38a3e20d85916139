/** The part of a Sentry client isometer looks at to stay out of Sentry's way. */
export interface DetectedSentryClient {
  getOptions?(): Record<string, unknown>;
  getIntegrationByName?(name: string): unknown;
}

interface SentryScopeLike {
  getClient?(): unknown;
}

/**
 * One SDK version's slot on `globalThis.__SENTRY__`: the async-context strategy (`acs`), the
 * scope stack and the default scopes. `Sentry.init` puts its client on the current scope
 * (see `@sentry/core`'s carrier.ts and sdk.ts).
 */
interface SentryCarrierLike {
  acs?: { getCurrentScope?(): SentryScopeLike | undefined; getIsolationScope?(): SentryScopeLike | undefined };
  stack?: { getScope?(): SentryScopeLike | undefined };
  defaultCurrentScope?: SentryScopeLike;
  defaultIsolationScope?: SentryScopeLike;
}

function enabledClient(scope: SentryScopeLike | undefined): DetectedSentryClient | undefined {
  const client = typeof scope?.getClient === 'function' ? (scope.getClient() as DetectedSentryClient | undefined) : undefined;
  if (typeof client !== 'object' || client === null || typeof client.getOptions !== 'function') return undefined;
  // `client.close()` sets `enabled: false`; a closed client owns nothing.
  return client.getOptions()?.enabled === false ? undefined : client;
}

/**
 * The Sentry client initialised (and not closed) in this runtime, by any Sentry SDK since 8,
 * found through Sentry's global carrier without importing Sentry; else undefined. Cheap when no
 * Sentry SDK is loaded (one global read). Never throws.
 *
 * @example
 * if (detectSentryClient()) debugLogger.log('Sentry owns header injection here');
 */
export function detectSentryClient(): DetectedSentryClient | undefined {
  try {
    const hub = (globalThis as { __SENTRY__?: Record<string, unknown> }).__SENTRY__;
    if (typeof hub !== 'object' || hub === null) return undefined;
    for (const key of Object.keys(hub)) {
      if (key === 'version') continue;
      const carrier = hub[key] as SentryCarrierLike | undefined;
      if (typeof carrier !== 'object' || carrier === null) continue;
      const client =
        enabledClient(carrier.acs?.getCurrentScope?.()) ??
        enabledClient(carrier.acs?.getIsolationScope?.()) ??
        enabledClient(carrier.stack?.getScope?.()) ??
        enabledClient(carrier.defaultCurrentScope) ??
        enabledClient(carrier.defaultIsolationScope);
      if (client) return client;
    }
  } catch {
    // A foreign object in the slot, or a throwing getter: treat as "no Sentry".
  }
  return undefined;
}

/** True when Sentry is wanted here: a `dsn` or a Sentry module was given, or the app initialised Sentry itself. */
export function wantsSentry(options: { dsn?: string; sentry?: unknown }): boolean {
  return Boolean(options.dsn) || options.sentry !== undefined || detectSentryClient() !== undefined;
}
