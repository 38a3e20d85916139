/**
 * isometer's demo: a `node:http` shop server instrumented with `isometer/node`, serving the two
 * browser demos (script tag and bundler import), a collector that both sides report to, and a
 * live dashboard over it.
 *
 *   npm run demo                     build isometer, then start this on PORT (default 3000)
 *   PORT=3123 node node-demo/server.mjs
 *
 * Environment: PORT, HOST (default 127.0.0.1), DEMO_FAILURE_RATE (scales the simulated
 * failures; 0 turns them off, default 1). SENTRY_DSN, STATSD_HOST (+ STATSD_PORT),
 * OTEL_EXPORTER_OTLP_ENDPOINT and ISOMETER_CONSOLE=1 add real backends next to the collector;
 * SENTRY_DSN is passed to the pages too.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { close, flush, getClient, init, isometerMiddleware } from 'isometer/node';
import { createApiRoutes } from './api-routes.mjs';
import { buildBundledDemo } from './build-bundle.mjs';
import { createCollectorRoutes } from './collector/collector-routes.mjs';
import { createCollectorStore } from './collector/collector-store.mjs';
import { collectorExporter } from './collector/in-process-exporter.mjs';
import { sendJson, sendText } from './http-helpers.mjs';
import { createPageRoutes, isPagePath } from './page-routes.mjs';
import { createTracedHttpServer, pageRateSampler } from './traced-http-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST || '127.0.0.1';

if (!existsSync(`${root}/dist/isometer.min.js`)) {
  console.error('dist/ is missing: run `npm run build` first (or `npm run demo`, which does both).');
  process.exit(1);
}

const store = createCollectorStore();

// The backends the environment names (SENTRY_DSN, STATSD_HOST, OTEL_EXPORTER_OTLP_ENDPOINT, …)
// are added by init itself, next to the collector.
init({
  serviceName: 'node-demo',
  environment: process.env.SENTRY_ENVIRONMENT || 'demo',
  tracesSampleRate: 1,
  tracesSampler: pageRateSampler,
  flushIntervalMs: 2000,
  exporters: [collectorExporter(store)],
});

const bundleDir = await buildBundledDemo(root);
const lendRoute = isometerMiddleware();
const nameRoute = (req, route) => {
  // isometerMiddleware reads an Express-style `req.route.path` when the response finishes.
  req.route = { path: route };
};
const selfOrigin = () => {
  const address = server.address();
  const name = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${address.port}`;
};

const collector = createCollectorRoutes(store, { flush: () => flush(5_000) });
const api = createApiRoutes({ origin: selfOrigin, nameRoute });
const pages = createPageRoutes({ root, bundleDir, nameRoute, pageConfig: () => ({ dsn: process.env.SENTRY_DSN || undefined, environment: process.env.SENTRY_ENVIRONMENT || 'demo' }) });

/** Only the shop's own work is traced: pages, API and the upstream; see traced-http-server.mjs. */
function isTraced(pathname) {
  return isPagePath(pathname) || pathname.startsWith('/upstream/') || (pathname.startsWith('/api/') && !pathname.startsWith('/api/collector'));
}

async function route(req, res, url) {
  if (url.pathname === '/health') return sendJson(res, 200, { ok: true, exporters: getClient()?.exporterNames() ?? [] });
  if (await collector.handle(req, res, url)) return;
  if (await api.handle(req, res, url)) return;
  if (await pages.handle(req, res, url)) return;
  sendText(res, 404, 'not found');
}

const server = createTracedHttpServer(
  (req, res) => {
    const url = new URL(req.url ?? '/', 'http://demo.invalid');
    const run = () =>
      route(req, res, url).catch((error) => {
        console.error(`${req.method} ${url.pathname}:`, error);
        if (!res.headersSent) sendText(res, 500, 'internal error');
        else res.destroy();
      });
    if (isTraced(url.pathname)) lendRoute(req, res, run);
    else run();
  },
  { isTraced, isPage: isPagePath },
);

server.on('error', (error) => {
  console.error(`node-demo: cannot listen on ${host}:${port}: ${error.message}`);
  process.exit(1);
});

server.listen(port, host, () => {
  const base = selfOrigin();
  const lines = [
    `isometer demo on ${base}`,
    `  dashboard        ${base}/dashboard`,
    `  script-tag page  ${base}/script-tag/     (add ?rate=0.5 to sample half the page loads)`,
    `  bundled page     ${base}/bundled/`,
    `  collector state  ${base}/api/collector/state`,
    `  exporters        ${(getClient()?.exporterNames() ?? []).join(', ')}`,
  ];
  console.log(lines.join('\n'));
});

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: flushing and stopping`);
  collector.closeStreams();
  server.close();
  server.closeAllConnections?.();
  await close(2000);
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
