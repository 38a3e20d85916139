/**
 * The pages and static files:
 *   GET /                          links to everything
 *   GET /script-tag/[shop|cart|orders]   the page that loads /isometer.min.js with a <script> tag
 *   GET /bundled/[shop|cart|orders]      the page built from `import … from 'isometer/browser'`
 *   GET /bundled/app.js            that page's bundle and its chunks (built at server start)
 *   GET /isometer.min.js           dist/isometer.min.js, and the companions it imports from next to
 *                                  itself (/isometer.engine.min.js, .web-vitals, .sentry)
 *   GET /shared/*                  the UI both pages share
 *   GET /viewer.css                the viewer's style sheet (the landing page uses it)
 *
 * The two pages are rendered with `<meta name="sentry-trace">` and `<meta name="baggage">` from
 * `getTraceHeaders()`, taken inside the request's `http.server` span: the page load continues
 * the server's trace, so render and page load are one trace with one sampling decision.
 */
import { readFile } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import { getTraceHeaders, startSpan } from 'isometer/node';
import { escapeHtml, sendFile, sendText } from './http-helpers.mjs';
import { latencyMs } from './simulated-backend.mjs';
import { setTimeout as sleep } from 'node:timers/promises';
import { sampleRateParam } from './demo-tracing.mjs';

const PAGE = /^\/(script-tag|bundled)(?:\/(shop|cart|orders)?)?\/?$/;
// app.js and the chunks it loads on demand.
const BUNDLE_FILE = /^\/bundled\/[\w.-]+\.js(?:\.map)?$/;
/** The script tag and its companions (the engine, web vitals and Sentry glue it imports from next to itself). */
const SCRIPT_TAG_FILE = /^\/isometer(?:\.(?:engine|web-vitals|sentry))?\.min\.js(?:\.map)?$/;
const HEAD_MARKER = '<!--isometer:head-->';

/** True for the two pages' paths (their `?rate=` decides their trace's sampling). */
export function isPagePath(pathname) {
  return PAGE.test(pathname);
}

/**
 * @param {{ root: string, bundleDir: string, nameRoute: (req, route: string) => void, pageConfig: () => object }} options
 *   `root` is the repository; `pageConfig` adds what the pages need from the environment (the DSN).
 */
export function createPageRoutes({ root, bundleDir, nameRoute, pageConfig }) {
  const browserDemo = join(root, 'browser-demo');
  const dist = join(root, 'dist');

  async function renderPage(req, res, url, variant, view) {
    nameRoute(req, `/${variant}/:view`);
    // Taken in the request's span: the page load becomes its child.
    const trace = getTraceHeaders();
    const html = await startSpan({ name: `render ${variant}`, op: 'template.render', attributes: { 'demo.variant': variant, 'demo.view': view } }, async () => {
      const template = await readFile(join(browserDemo, variant, 'index.html'), 'utf8');
      // Stand-in for real templating work, so the render is visible in the waterfall.
      await sleep(latencyMs(4, 0.4));
      const config = { variant, view, rate: sampleRateParam(url.searchParams) ?? 1, ...pageConfig() };
      const head = [
        trace['sentry-trace'] ? `<meta name="sentry-trace" content="${escapeHtml(trace['sentry-trace'])}">` : '',
        trace.baggage ? `<meta name="baggage" content="${escapeHtml(trace.baggage)}">` : '',
        `<script id="demo-config" type="application/json">${JSON.stringify(config).replace(/</g, '\\u003c')}</script>`,
      ].filter(Boolean);
      return template.replace(HEAD_MARKER, head.join('\n    '));
    });
    sendText(res, 200, html, 'text/html; charset=utf-8');
  }

  /** A file below `base`, or undefined for paths that try to leave it. */
  function inside(base, relative) {
    const path = normalize(join(base, relative));
    return path.startsWith(base + sep) ? path : undefined;
  }

  async function handle(req, res, url) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const { pathname } = url;
    const page = PAGE.exec(pathname);
    if (page) {
      await renderPage(req, res, url, page[1], page[2] ?? 'shop');
      return true;
    }
    let file;
    if (pathname === '/') file = join(root, 'node-demo', 'index.html');
    else if (SCRIPT_TAG_FILE.test(pathname)) file = join(dist, pathname.slice(1));
    else if (BUNDLE_FILE.test(pathname)) file = join(bundleDir, pathname.slice('/bundled/'.length));
    else if (pathname.startsWith('/shared/')) file = inside(join(browserDemo, 'shared'), pathname.slice('/shared/'.length));
    else if (pathname === '/viewer.css') file = join(dist, 'dev', 'page', 'viewer.css');
    else if (pathname === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return true;
    } else return false;
    if (file === undefined) sendText(res, 404, 'not found');
    else await sendFile(res, file);
    return true;
  }

  return { handle };
}
