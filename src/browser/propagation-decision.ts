import { detectSentryClient } from '../core/sentry/detect-sentry';

/**
 * True when the page's Sentry SDK traces outgoing requests itself (its BrowserTracing
 * integration is installed): Sentry then owns header injection and isometer adds none.
 */
export function sentryInjectsHeaders(): boolean {
  const client = detectSentryClient();
  return Boolean(client && typeof client.getIntegrationByName === 'function' && client.getIntegrationByName('BrowserTracing'));
}

/** Resolves a request URL against the page; undefined for what cannot be parsed. */
export function resolveUrl(raw: string): URL | undefined {
  try {
    return new URL(raw, typeof location !== 'undefined' ? location.href : undefined);
  } catch {
    return undefined;
  }
}
