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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// 16+ hex digits with at least one digit: object ids, hashes, trace ids; not a long hex-letter word.
const LONG_HEX = /^(?=[a-f]*\d)[0-9a-f]{16,}$/i;
const ALL_DIGITS = /^\d+$/;
const LONG_DIGIT_RUN = /\d{6}/;

function isIdLike(segment: string): boolean {
  return ALL_DIGITS.test(segment) || UUID.test(segment) || LONG_HEX.test(segment) || LONG_DIGIT_RUN.test(segment);
}

/**
 * Replaces the id-like segments of a path or URL with `:id`: numbers, UUIDs, long hex (16+ digits)
 * and any segment holding a run of six or more digits. The query string and fragment are cut,
 * since they carry ids too and a series is about the route. A value without a digit is returned
 * as it is, at the cost of one scan.
 *
 * @example
 * templateRoute('/orders/8417/items?page=2'); // '/orders/:id/items'
 * templateRoute('/users/3f2b8c1e-9d4a-4e6b-8f0a-2c5d7e9b1a3c'); // '/users/:id'
 */
export function templateRoute(value: string): string {
  if (!/\d/.test(value)) return value;
  let end = value.length;
  const query = value.indexOf('?');
  if (query !== -1) end = query;
  const fragment = value.indexOf('#');
  if (fragment !== -1 && fragment < end) end = fragment;
  const segments = value.slice(0, end).split('/');
  // A full URL's scheme and host (`https:`, '', `host:8080`) are kept as they are.
  const first = /^[a-z][a-z0-9+.-]*:$/i.test(segments[0]) && segments[1] === '' ? 3 : 0;
  for (let i = first; i < segments.length; i++) if (segments[i] !== '' && isIdLike(segments[i])) segments[i] = ID_PLACEHOLDER;
  return segments.join('/');
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
