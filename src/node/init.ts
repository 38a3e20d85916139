import type { Client } from '../core/sdk/client';
import { initWithRuntime } from '../core/sdk/init';
import type { IsometerOptions } from '../core/sdk/options';
import { createAsyncContextManager } from './async-context-manager';
import { environmentExporters } from './environment-exporters';
import { createNodeHttpTransport } from './http-transport';
import { attachSentry } from '../core/sentry/attach-sentry';
import { wantsSentry } from '../core/sentry/detect-sentry';
import { loadSentryNode, sentryExporter } from './sentry';
import { installProcessFlush } from './process-flush';
import { installTracing } from './install-tracing';
import { applyTracingEnvironment } from './environment-tracing';

/**
 * Starts isometer in Node: context that follows async work, exporters from `dsn` and the
 * environment (`SENTRY_DSN`, `ISOMETER_CONSOLE=1`, `OTEL_TRACES_SAMPLER`, `OTEL_PROPAGATORS`, …), and a flush on `beforeExit`, SIGTERM and SIGINT. Idempotent; never throws.
 *
 * @example
 * import { init, metrics } from 'isometer/node';
 * init({ serviceName: 'checkout-api' });
 * metrics.distribution('db.query', 12.5, { unit: 'millisecond', attributes: { table: 'orders' } });
 */
export function init(options?: IsometerOptions): Client {
  return initWithRuntime(options, {
    contextManager: createAsyncContextManager(),
    createHttpTransport: createNodeHttpTransport,
    applyEnvironment: applyTracingEnvironment,
    defaultExporters(resolved) {
      resolved.dsn ??= process.env.SENTRY_DSN || undefined;
      const fromEnvironment = environmentExporters(
        process.env,
        resolved.exporters.map((exporter) => exporter.name),
      );
      if (wantsSentry(resolved)) fromEnvironment.unshift(sentryExporter());
      return fromEnvironment.filter((exporter) => !resolved.exporters.some((existing) => existing.name === exporter.name));
    },
    setup(client) {
      installProcessFlush(client);
      installTracing(client);
      if (wantsSentry(client.options)) attachSentry(client, loadSentryNode);
    },
  });
}
