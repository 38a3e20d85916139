/**
 * Case: an increment whose `user_id` has more distinct values than its key's budget (500 a key at
 * the default maxSeriesPerMetric of 2000), so past the first 500 ids of an interval each call
 * folds into `user_id: "__other__"`. The same call with eight ids, all within limits, is the
 * reference: a folding call should cost at most 2× that one (DESIGN.md budget). prom-client has no
 * limit and keeps every id as a series; OpenTelemetry folds whole sets past 2000 series.
 */
import { MASK, METHOD, ROUTE } from '../fixtures.mjs';

/** 65,536 ids, cycled: far past any budget, so nearly every call folds. */
const USER_COUNT = 65_536;
const USER_MASK = USER_COUNT - 1;
const USERS = Array.from({ length: USER_COUNT }, (_, i) => `user-${(i * 2_654_435_761) >>> 0}`);

export const countPastLimit = {
  title: 'count past the cardinality limit',
  budgetRatio: 2,
  // The two isometer calls are timed in turns (bench/lib/measure.mjs measureInterleaved).
  interleaved: true,
  contenders({ isometer, openTelemetry, promClient }) {
    const otelCounter = openTelemetry?.meter.createCounter('bench.otel.folded');
    const promCounter = promClient?.counter('bench_prom_folded_total', ['route', 'method', 'user_id']);
    return [
      isometer && {
        library: 'isometer',
        call: 'metrics.count(name, 1, { attributes }), 8 user ids (within limits)',
        isometer: true,
        run(n) {
          const { metrics } = isometer;
          for (let i = 0; i < n; i++) {
            const k = i & MASK;
            metrics.count('bench.in-limit', 1, { attributes: { route: ROUTE[k], method: METHOD[k], user_id: USERS[i & 7] } });
          }
          return n;
        },
        recorded: () => isometer.recorded('bench.in-limit'),
      },
      isometer && {
        library: 'isometer',
        call: 'the same with 65,536 user ids (user_id folds)',
        isometer: true,
        folding: true,
        run(n) {
          const { metrics } = isometer;
          for (let i = 0; i < n; i++) {
            const k = i & MASK;
            metrics.count('bench.folded', 1, { attributes: { route: ROUTE[k], method: METHOD[k], user_id: USERS[i & USER_MASK] } });
          }
          return n;
        },
        recorded: () => isometer.recorded('bench.folded'),
      },
      openTelemetry && {
        library: 'OpenTelemetry',
        call: 'counter.add(1, attributes) (whole sets fold past 2000)',
        run(n) {
          for (let i = 0; i < n; i++) {
            const k = i & MASK;
            otelCounter.add(1, { route: ROUTE[k], method: METHOD[k], user_id: USERS[i & USER_MASK] });
          }
          return n;
        },
        recorded: () => openTelemetry.recorded('bench.otel.folded'),
      },
      promClient && {
        library: 'prom-client',
        call: 'counter.inc(labels) (no limit: a series per id)',
        run(n) {
          for (let i = 0; i < n; i++) {
            const k = i & MASK;
            promCounter.inc({ route: ROUTE[k], method: METHOD[k], user_id: USERS[i & USER_MASK] });
          }
          return n;
        },
        recorded: () => promClient.recorded(promCounter),
      },
    ];
  },
};
