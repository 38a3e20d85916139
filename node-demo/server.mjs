/**
 * isometer's demo: a `node:http` shop server instrumented with `isometer/node`, serving the two
 * browser demos (script tag and bundler import), and the `npx isometer dev` viewer that both
 * sides report to, started in this process on its own port.
 *
 *   npm run demo                     build isometer, then start this on PORT (default 3000)
 *   PORT=3123 node node-demo/server.mjs
 *
 * Environment: PORT, HOST (default 127.0.0.1), ISOMETER_DEV_PORT (the viewer's port, default
 * 8976; when taken, any free one), DEMO_FAILURE_RATE (scales the simulated failures; 0 turns
 * them off, default 1). SENTRY_DSN, STATSD_HOST (+ STATSD_PORT), OTEL_EXPORTER_OTLP_ENDPOINT and
 * ISOMETER_CONSOLE=1 add real backends next to the viewer; SENTRY_DSN is passed to the pages too.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { close, getClient, init, isometerMiddleware } from 'isometer/node';
import http from 'node:http';
import { createApiRoutes } from './api-routes.mjs';
import { buildBundledDemo } from './build-bundle.mjs';
import { sendJson, sendText } from './http-helpers.mjs';
import { createPageRoutes, isPagePath } from './page-routes.mjs';
import { createIgnoreUntraced, createPageRateSampler } from './demo-tracing.mjs';

const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST || '127.0.0.1';

if (!existsSync(`${root}/dist/isometer.min.js`) || !existsSync(`${root}/dist/dev/viewer.js`)) {
  console.error('dist/ is missing: run `npm run build` first (or `npm run demo`, which does both).');
  process.exit(1);
}

const { startViewer, viewerExporter } = await import('../dist/dev/viewer.js');
const viewer = await startDemoViewer();

// The backends the environment names (SENTRY_DSN, STATSD_HOST, OTEL_EXPORTER_OTLP_ENDPOINT, …)
// are added by init itself, next to the viewer. The server hands its batches to the viewer in
// process, which keeps each exemplar's sampling decision (OTLP exemplars carry none).
init({
  serviceName: 'node-demo',
  environment: process.env.SENTRY_ENVIRONMENT || 'demo',
  tracesSampleRate: 1,
  tracesSampler: createPageRateSampler(isPagePath),
  ignoreIncomingRequests: createIgnoreUntraced(isTraced),
  flushIntervalMs: 2000,
  exporters: [viewerExporter(viewer.store)],
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

const api = createApiRoutes({ origin: selfOrigin, nameRoute });
const pages = createPageRoutes({ root, bundleDir, nameRoute, pageConfig: () => ({ dsn: process.env.SENTRY_DSN || undefined, environment: process.env.SENTRY_ENVIRONMENT || 'demo' }) });

/** Only the shop's own work is traced: pages, API and the upstream; see demo-tracing.mjs. */
function isTraced(pathname) {
  return isPagePath(pathname) || pathname.startsWith('/upstream/') || pathname.startsWith('/api/');
}

/** The viewer on ISOMETER_DEV_PORT (default 8976), else on any free port (a viewer may already run there). */
async function startDemoViewer() {
  const wanted = Number(process.env.ISOMETER_DEV_PORT || 8976);
  try {
    return await startViewer({ port: wanted, host });
  } catch (error) {
    if (error?.code !== 'EADDRINUSE') throw error;
    const fallback = await startViewer({ port: 0, host });
    console.log(`node-demo: port ${wanted} is taken; the demo's viewer is on ${fallback.url}`);
    return fallback;
  }
}

async function route(req, res, url) {
  if (url.pathname === '/health') return sendJson(res, 200, { ok: true, exporters: getClient()?.exporterNames() ?? [], viewer: viewer.url });
  // The pages' tunnel (same origin, so page-hide delivery needs no CORS): the viewer's OTLP ingest.
  if (url.pathname === '/collect/v1/metrics' || url.pathname === '/collect/v1/traces') {
    req.url = url.pathname.slice('/collect'.length);
    return viewer.handle(req, res);
  }
  if (url.pathname === '/viewer' || url.pathname.startsWith('/viewer/')) {
    res.writeHead(302, { location: viewer.url + (url.pathname.slice('/viewer'.length) || '/') });
    res.end();
    return;
  }
  if (await api.handle(req, res, url)) return;
  if (await pages.handle(req, res, url)) return;
  sendText(res, 404, 'not found');
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://demo.invalid');
  const run = () =>
    route(req, res, url).catch((error) => {
      console.error(`${req.method} ${url.pathname}:`, error);
      if (!res.headersSent) sendText(res, 500, 'internal error');
      else res.destroy();
    });
  if (isTraced(url.pathname)) lendRoute(req, res, run);
  else run();
});

server.on('error', (error) => {
  console.error(`node-demo: cannot listen on ${host}:${port}: ${error.message}`);
  process.exit(1);
});

server.listen(port, host, () => {
  const base = selfOrigin();
  const lines = [
    `isometer demo on ${base}`,
    `  script-tag page  ${base}/script-tag/     (add ?rate=0.5 to sample half the page loads)`,
    `  bundled page     ${base}/bundled/`,
    `  exporters        ${(getClient()?.exporterNames() ?? []).join(', ')}`,
    `  viewer           ${viewer.url}     (npx isometer dev: metrics and traces from both sides)`,
    `  viewer state     ${viewer.url}/api/state`,
  ];
  console.log(lines.join('\n'));
});

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: flushing and stopping`);
  server.close();
  server.closeAllConnections?.();
  await close(2000);
  await viewer.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
