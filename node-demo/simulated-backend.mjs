/**
 * The demo's pretend infrastructure: a database with a small connection pool, a cache, and
 * latencies drawn from log-normal distributions (service latencies are long-tailed, rarely
 * normal), with a few failures. Each operation goes through isometer's recorders, so it is a
 * span in the request's trace and a point in the `db.*` / `cache.*` metrics.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { metrics, trackCacheOperation, trackDatabaseOperation } from 'isometer/node';

/** A standard normal draw (Box–Muller). */
function gaussian() {
  const u = 1 - Math.random();
  const v = Math.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Milliseconds, log-normal around `medianMs`; `spread` is σ of the log (0.5 ≈ p99 at 3× the median). */
export function latencyMs(medianMs, spread = 0.5) {
  return medianMs * Math.exp(spread * gaussian());
}

/**
 * Scales every simulated failure: `DEMO_FAILURE_RATE=0` turns them off (end-to-end tests that
 * need every request to succeed), `2` doubles them. Default 1.
 */
const FAILURE_SCALE = (() => {
  const value = Number(process.env.DEMO_FAILURE_RATE ?? 1);
  return Number.isFinite(value) && value >= 0 ? value : 1;
})();

export function chance(probability) {
  return Math.random() < probability;
}

/** True with `probability` × DEMO_FAILURE_RATE: a simulated failure. */
export function failureChance(probability) {
  return Math.random() < probability * FAILURE_SCALE;
}

/** A failure with a low-cardinality `name`, which the recorders report as `error_type`. */
export function failure(name, message) {
  const error = new Error(message);
  error.name = name;
  return error;
}

const POOL_SIZE = 8;
let connectionsInUse = 0;

/**
 * Runs one pretend query: waits for a pooled connection, takes `medianMs`-ish, fails with
 * probability `failureRate`. Recorded as `db.operation.*` in a `db` span; the pool's use is the
 * `db.pool.in_use` gauge.
 */
export function query(operation, table, { medianMs = 12, spread = 0.6, failureRate = 0.04, rows = () => [] } = {}) {
  return trackDatabaseOperation({ operation, table }, async (scope) => {
    let retries = 0;
    while (connectionsInUse >= POOL_SIZE) {
      retries++;
      await sleep(latencyMs(3, 0.3));
    }
    if (retries > 0) scope.set({ retryCount: retries });
    connectionsInUse++;
    metrics.gauge('db.pool.in_use', connectionsInUse, { attributes: { pool: 'primary' } });
    try {
      await sleep(latencyMs(medianMs, spread));
      if (failureChance(failureRate)) throw failure(chance(0.5) ? 'QueryTimeoutError' : 'ConnectionResetError', `${operation} ${table} failed`);
      return rows();
    } finally {
      connectionsInUse--;
      metrics.gauge('db.pool.in_use', connectionsInUse, { attributes: { pool: 'primary' } });
    }
  });
}

/** A small in-memory cache with a time to live, recorded as `cache.*` (hits, misses, size). */
export function createCache(name, ttlMs) {
  const entries = new Map();
  return {
    get(key) {
      return trackCacheOperation({ cache: name, operation: 'get' }, async (scope) => {
        await sleep(latencyMs(0.8, 0.4));
        const entry = entries.get(key);
        if (entry && entry.expiresAt > Date.now()) {
          scope.set({ size: entries.size });
          return entry.value;
        }
        if (entry) entries.delete(key);
        scope.set({ size: entries.size });
        return undefined;
      });
    },
    set(key, value) {
      return trackCacheOperation({ cache: name, operation: 'set' }, async (scope) => {
        await sleep(latencyMs(1, 0.4));
        entries.set(key, { value, expiresAt: Date.now() + ttlMs });
        scope.set({ size: entries.size });
      });
    },
  };
}
