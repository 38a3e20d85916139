import type { Attributes } from '../internal/attributes';

/**
 * Attributes that carry a route or a URL path. An id inside one (`/orders/8417/items`) makes a
 * series per order, so these are templated before a series is chosen or a value is counted
 * against its key's budget. Keys from the OpenTelemetry semantic conventions
 * (https://opentelemetry.io/docs/specs/semconv/http/http-spans/) and the names apps use by hand.
 *
 * @example
 * ROUTE_ATTRIBUTE_KEYS.has('http.route'); // true
 */
export const ROUTE_ATTRIBUTE_KEYS: ReadonlySet<string> = new Set(['http.route', 'http.target', 'http.url', 'url.path', 'url.full', 'url.template', 'route', 'path', 'url', 'page']);

/** What an id-like path segment becomes. */
export const ID_PLACEHOLDER = ':id';

/**
 * One id-like path segment, after its `/`: all digits, a UUID, 16+ hex digits with at least one
 * digit (object ids, hashes; not a long word of hex letters), or anything holding a run of six or
 * more digits. One native regex pass: a split and a test per segment cost ten times more.
 */
const ID_SEGMENT = /\/(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?=[a-f]*\d)[0-9a-f]{16,}|[^/?#]*\d{6}[^/?#]*)(?=\/|$)/gi;
const DIGIT = /\d/;
const SCHEME_AND_HOST = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/**
 * Replaces the id-like segments of a path or URL with `:id`: numbers, UUIDs, long hex (16+ digits)
 * and any segment holding a run of six or more digits. The query string and fragment are cut,
 * since they carry ids too and a series is about the route; a full URL's scheme and host stay. A
 * value without a digit is returned as it is, at the cost of one scan.
 *
 * @example
 * templateRoute('/orders/8417/items?page=2'); // '/orders/:id/items'
 * templateRoute('/users/3f2b8c1e-9d4a-4e6b-8f0a-2c5d7e9b1a3c'); // '/users/:id'
 */
export function templateRoute(value: string): string {
  // A route value recurs across series (one route × its methods × its statuses): one lookup.
  const known = templated.get(value);
  if (known !== undefined) return known;
  const result = templateUncached(value);
  if (templated.size >= MAX_TEMPLATED) templated.clear();
  templated.set(value, result);
  return result;
}

/** Values templated lately, and what they became; bounded, since values with ids never recur. */
const templated = new Map<string, string>();
const MAX_TEMPLATED = 1024;

function templateUncached(value: string): string {
  if (!DIGIT.test(value)) return value;
  let end = value.length;
  const query = value.indexOf('?');
  if (query !== -1) end = query;
  const fragment = value.indexOf('#');
  if (fragment !== -1 && fragment < end) end = fragment;
  const origin = SCHEME_AND_HOST.exec(value)?.[0] ?? '';
  const path = value.slice(origin.length, end);
  return origin + (DIGIT.test(path) ? path.replace(ID_SEGMENT, `/${ID_PLACEHOLDER}`) : path);
}

/**
 * The value a series gets for `key`: templated when the key is a route or URL attribute and the
 * value a string, else `value` itself.
 *
 * @example
 * templateAttributeValue('http.route', '/users/42'); // '/users/:id'
 * templateAttributeValue('user_id', '42');           // '42'
 */
export function templateAttributeValue(key: string, value: unknown): unknown {
  return typeof value === 'string' && ROUTE_ATTRIBUTE_KEYS.has(key) ? templateRoute(value) : value;
}

/**
 * A sanitised attribute set with its route and URL attributes templated; the same object when
 * nothing changed.
 *
 * @example
 * templateRouteAttributes({ route: '/cart/991', status: 200 }); // { route: '/cart/:id', status: 200 }
 */
export function templateRouteAttributes(attributes: Attributes): Attributes {
  let result: Attributes | undefined;
  for (const key in attributes) {
    const value = attributes[key];
    if (typeof value !== 'string' || !ROUTE_ATTRIBUTE_KEYS.has(key)) continue;
    const templated = templateRoute(value);
    if (templated !== value) (result ??= { ...attributes })[key] = templated;
  }
  return result ?? attributes;
}
