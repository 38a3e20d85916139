// A page on @sentry/browser whose only change is its DSN, pointed at the viewer (bundled by the spec with esbuild).
import * as Sentry from '@sentry/browser';

const { dsn } = JSON.parse(decodeURIComponent(location.hash.slice(1)));
Sentry.init({ dsn, tracesSampleRate: 1, integrations: [Sentry.browserTracingIntegration()] });

window.buy = async () => {
  Sentry.startSpan({ name: 'buy', op: 'ui.action' }, () => {
    Sentry.startSpan({ name: 'validate cart', op: 'function' }, () => undefined);
    Sentry.metrics.count('buy.click', 1, { attributes: { button: 'primary' } });
    for (const ms of [8, 16, 32]) Sentry.metrics.distribution('buy.render', ms, { unit: 'millisecond' });
  });
  return Sentry.flush(3000);
};
