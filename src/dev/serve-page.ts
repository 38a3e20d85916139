import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';

/** The page's files (src/dev/page, copied beside the built bin by tsup.config.ts). */
const PAGE_FILES: Record<string, string> = {
  '/': 'index.html',
  '/assets/viewer.css': 'viewer.css',
  '/assets/main.js': 'main.js',
  '/assets/charts.js': 'charts.js',
  '/assets/format.js': 'format.js',
  '/assets/traces-view.js': 'traces-view.js',
  '/assets/waterfall.js': 'waterfall.js',
};

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/**
 * Serves the page (`/`) and its assets; false for any other path.
 *
 * @example
 * if (await servePage(pathname, res)) return;
 */
export async function servePage(pathname: string, res: ServerResponse): Promise<boolean> {
  const file = PAGE_FILES[pathname];
  if (file === undefined) return false;
  let body: Buffer;
  try {
    body = await readFile(new URL(`./page/${file}`, import.meta.url));
  } catch {
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`the viewer's page file ${file} is missing from this install`);
    return true;
  }
  res.writeHead(200, { 'content-type': CONTENT_TYPES[file.split('.').pop()!], 'cache-control': 'no-cache' });
  res.end(body);
  return true;
}
