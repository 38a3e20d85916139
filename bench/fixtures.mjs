/**
 * The data every contender records, identical for all of them. Attribute values cycle through a
 * small fixed set (as a real service's routes, methods and statuses do) instead of one constant
 * object, and each call site builds its attribute object the way application code would.
 */

/** Table length: a power of two, so `i & MASK` picks an entry without a division. */
export const TABLE_SIZE = 1024;
export const MASK = TABLE_SIZE - 1;

const ROUTES = ['/api/cart', '/api/checkout', '/api/products', '/api/products/:id', '/api/search', '/health'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const STATUSES = ['200', '201', '304', '404', '500'];

/** Mulberry32: a fixed seed gives the same sequence on every run and machine. */
function createRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = createRandom(0x15_0e7e);
const pick = (values) => values[Math.floor(random() * values.length)];

/** `ROUTE[k]`, `METHOD[k]`, `STATUS[k]`: the attributes of call `k`; at most 120 distinct series. */
export const ROUTE = Array.from({ length: TABLE_SIZE }, () => pick(ROUTES));
export const METHOD = Array.from({ length: TABLE_SIZE }, () => pick(METHODS));
export const STATUS = Array.from({ length: TABLE_SIZE }, () => pick(STATUSES));

/** Latencies in milliseconds, log-normal around 40 ms (spanning roughly 1 ms to 2 s). */
export const LATENCY_MS = Array.from({ length: TABLE_SIZE }, () => {
  const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.exp(Math.log(40) + 1.2 * gaussian);
});

/** Eight prebuilt attribute sets for bound instruments (`i & 7` picks one). */
export const BOUND_ATTRIBUTE_SETS = Array.from({ length: 8 }, (_, index) => ({
  route: ROUTES[index % ROUTES.length],
  method: METHODS[index % METHODS.length],
  status: STATUSES[index % STATUSES.length],
}));
export const BOUND_MASK = 7;

/** The byte-count scenario: 10 fixed series (3 attributes each). */
export const TEN_SERIES = Array.from({ length: 10 }, (_, index) => ({
  route: ROUTES[index % ROUTES.length],
  method: METHODS[index % METHODS.length],
  status: STATUSES[index % STATUSES.length],
}));
