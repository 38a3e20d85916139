import type { Exporter } from '../core/export/exporter';
import { debugLogger } from '../core/internal/debug-logger';
import type { Client } from '../core/sdk/client';
import { attachSentry } from '../core/sentry/attach-sentry';
import { detectSentryClient } from '../core/sentry/detect-sentry';
import { createSentryExporter, type SentryClientLike, type SentryExporterOptions, type SentryModuleLike } from '../core/sentry/sentry-exporter';
import type { SpanData } from '../core/trace/span-data';
import { canReplaySpans, replaySentrySpans } from './replay-sentry-spans';

/**
 * The page's Sentry glue. isometer never imports `@sentry/browser` itself, so a bundle of
 * `init, metrics` carries no Sentry code, with code splitting or without. It uses the Sentry SDK
 * the page already has: the module passed as `init({ sentry })`, Sentry's script tag
 * (`window.Sentry`), or a Sentry client the app initialised (found on Sentry's global carrier).
 * This file is loaded lazily by `init`, only when Sentry is wanted.
 */

function isSentryModule(value: unknown): value is SentryModuleLike {
  return typeof value === 'object' && value !== null && typeof (value as SentryModuleLike).getClient === 'function';
}

/** The page's Sentry SDK, or undefined (with one warning saying how to provide it). */
export function findPageSentry(given: unknown): SentryModuleLike | undefined {
  if (isSentryModule(given)) return given;
  const fromScriptTag = (globalThis as { Sentry?: unknown }).Sentry;
  if (isSentryModule(fromScriptTag)) return fromScriptTag;
  if (detectSentryClient() !== undefined) return { getClient: () => detectSentryClient() as SentryClientLike | undefined };
  debugLogger.warnOnce(
    'sentry:browser-missing',
    'Sentry was asked for (dsn) but the page has no Sentry SDK: npm install @sentry/browser and pass init({ dsn, sentry: Sentry }) with import * as Sentry from "@sentry/browser", or load Sentry\'s script tag before isometer. Metrics still go to the other exporters.',
  );
  return undefined;
}

/** The Sentry exporter, using the Sentry module given as `init({ sentry })` when there is one. */
export function pageSentryExporter(sentry: unknown, options?: SentryExporterOptions): Exporter {
  return createSentryExporter(() => Promise.resolve(findPageSentry(sentry)), options);
}

/**
 * Hands the page's tracing to its Sentry SDK (initialised for `dsn` when the module is at hand);
 * `onAttached` gets the Sentry module (or undefined) once that is done.
 */
export function attachPageSentry(client: Client, onAttached?: (sentry: SentryModuleLike | undefined) => void): void {
  attachSentry(client, () => Promise.resolve(findPageSentry(client.options.sentry)), onAttached);
}

/**
 * Replays spans finished before the glue loaded into the page's Sentry; how many it took, or
 * undefined when there is no Sentry SDK module that makes spans (they were never Sentry's to take).
 */
export function replayPageSpans(sentry: unknown, spans: SpanData[]): number | undefined {
  const module = findPageSentry(sentry);
  if (!canReplaySpans(module) || module.getClient() === undefined) return undefined;
  return replaySentrySpans(module, spans);
}
