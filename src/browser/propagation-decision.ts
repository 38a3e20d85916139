import type { Client } from '../core/sdk/client';
import { detectSentryClient } from '../core/sentry/detect-sentry';
import { matchesPropagationTargets } from '../core/trace/propagation-targets';

/**
 * True when a request to `url` should carry trace headers: it matches `tracePropagationTargets`
 * (absolute or as written), or, without that option, it goes to the page's own origin.
 */
export function shouldPropagate(client: Client, url: URL, rawUrl: string): boolean {
  const targets = client.options.tracePropagationTargets;
  if (targets) return matchesPropagationTargets(url.href, targets) || matchesPropagationTargets(rawUrl, targets);
  return typeof location !== 'undefined' && url.origin === location.origin;
}

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
