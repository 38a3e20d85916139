// A page on the real @sentry/browser (bundled by the spec with esbuild): it samples its page load
// at ?rate= and calls ?backend=/work, whose answer the spec reads from window.call.
import * as Sentry from '@sentry/browser';

const query = new URLSearchParams(location.search);
Sentry.init({
  dsn: query.get('dsn') ?? undefined,
  tracesSampleRate: Number(query.get('rate')),
  integrations: [Sentry.browserTracingIntegration()],
  tracePropagationTargets: [/^http:\/\/127\.0\.0\.1:/],
});
(window as unknown as { call: Promise<unknown> }).call = fetch(`${query.get('backend')}/work`).then((response) => response.json());
