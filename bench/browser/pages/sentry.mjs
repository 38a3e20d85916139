/** Sentry in the page: `@sentry/browser` with its own fetch transport to the bench server. */
import * as Sentry from '@sentry/browser';
import { SERIES, attributesOf } from './series.mjs';

Sentry.init({ dsn: `http://0123456789abcdef0123456789abcdef@${location.host}/1`, defaultIntegrations: false, integrations: [], tracesSampleRate: 0, release: 'bench@1.0.0' });

window.benchRun = async () => {
  for (let i = 0; i < SERIES; i++) Sentry.metrics.count('bench.requests', 1, { attributes: attributesOf(i) });
  await Sentry.flush(10_000);
};
