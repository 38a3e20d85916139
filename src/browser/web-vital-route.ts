/** Segments that are ids, not routes: numbers, UUIDs, long hex (object ids, hashes). */
const ID_SEGMENT = /^(\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?=[a-f]*\d)[0-9a-f]{12,})$/i;

/**
 * A path as a route template: each numeric, UUID-like or long hex segment becomes `:id`, so the
 * `route` attribute stays one series per page kind rather than one per product or user. An app
 * with a router passes its own template instead (`webVitalsIntegration({ route })`).
 *
 * @example
 * templateRoute('/orders/8412/items/3f2c9a1be47d00aa'); // → '/orders/:id/items/:id'
 */
export function templateRoute(pathname: string): string {
  return pathname
    .split('/')
    .map((segment) => (ID_SEGMENT.test(segment) ? ':id' : segment))
    .join('/');
}
