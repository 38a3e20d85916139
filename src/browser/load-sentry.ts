import type { SentryModuleLike } from '../core/sentry/sentry-exporter';

/**
 * The Sentry SDK of the page: `window.Sentry` from Sentry's script tag, else `@sentry/browser`,
 * loaded only when first needed, so apps without Sentry never download it.
 */
export async function loadSentryBrowser(): Promise<SentryModuleLike | undefined> {
  const fromScriptTag = (globalThis as { Sentry?: SentryModuleLike }).Sentry;
  if (fromScriptTag && typeof fromScriptTag.getClient === 'function') return fromScriptTag;
  try {
    return (await import('@sentry/browser')) as unknown as SentryModuleLike;
  } catch {
    return undefined;
  }
}
