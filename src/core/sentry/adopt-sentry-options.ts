import { debugLogger } from '../internal/debug-logger';
import type { TracingOptions } from '../trace/tracing-options';

/**
 * Sentry's environment when its client sets none (`DEFAULT_ENVIRONMENT` in @sentry/core): what
 * its span envelopes say, so what metric items must say too.
 */
export const SENTRY_DEFAULT_ENVIRONMENT = 'production';

/** What isometer reads of a Sentry client's options. */
export interface SentryClientOptionsLike {
  release?: unknown;
  environment?: unknown;
  tracesSampleRate?: unknown;
  tracesSampler?: unknown;
}

/** The parts of an isometer client that follow the Sentry client once attached. */
export interface SentryAdoptingClient {
  readonly options: TracingOptions;
  readonly resource?: { release?: string; environment?: string };
}

/**
 * Takes release, environment and trace sample rates from the Sentry client isometer attached to,
 * so metric items, OTLP resources, baggage and Sentry's own span envelopes name the same
 * release and environment and sample alike. A value isometer was given that differs is replaced,
 * with one warning naming the option. Never throws.
 *
 * @example
 * Sentry.init({ dsn, release: 'shop@1.2.3' });
 * init({ sentry: Sentry, environment: 'staging' }); // → warns; metrics say production, as Sentry's spans do
 */
export function adoptSentryOptions(client: SentryAdoptingClient, sentryOptions: SentryClientOptionsLike | undefined): void {
  if (sentryOptions === undefined || sentryOptions === null) return;
  const release = typeof sentryOptions.release === 'string' && sentryOptions.release !== '' ? sentryOptions.release : undefined;
  const environment = typeof sentryOptions.environment === 'string' && sentryOptions.environment !== '' ? sentryOptions.environment : SENTRY_DEFAULT_ENVIRONMENT;
  const options = client.options;
  if (release !== undefined) adopt(options, 'release', release);
  adopt(options, 'environment', environment);
  if (typeof sentryOptions.tracesSampleRate === 'number') adopt(options, 'tracesSampleRate', sentryOptions.tracesSampleRate);
  if (typeof sentryOptions.tracesSampler === 'function') adopt(options, 'tracesSampler', sentryOptions.tracesSampler as TracingOptions['tracesSampler']);
  if (client.resource) {
    client.resource.release = options.release;
    client.resource.environment = options.environment;
  }
}

function adopt<Key extends 'release' | 'environment' | 'tracesSampleRate' | 'tracesSampler'>(options: TracingOptions, key: Key, value: TracingOptions[Key]): void {
  const given = options[key];
  if (given !== undefined && given !== value) {
    debugLogger.warnOnce(
      `sentry:adopt:${key}`,
      `init({ ${key} }) differs from the attached Sentry client's ${key}${typeof value === 'function' ? '' : ` (${JSON.stringify(value)})`}; the Sentry client's is used, so metrics and spans agree. Set ${key} in Sentry.init.`,
    );
  }
  options[key] = value;
}
