import { trace } from '@opentelemetry/api';

/** Case 4: a span around an empty function, every trace sampled, each span ended. */
const noop = () => 0;
let notActive = 0;

export const startSpanAroundEmptyFunction = {
  title: 'startSpan around an empty function',
  contenders({ isometer, sentry, openTelemetryTracing }) {
    return [
      isometer && {
        library: 'isometer',
        call: "startSpan({ name: 'bench.span' }, () => 0)",
        isometer: true,
        run(n) {
          const { startSpan } = isometer;
          let total = 0;
          for (let i = 0; i < n; i++) total += startSpan({ name: 'bench.span' }, noop);
          return total + n;
        },
        // Every ended span feeds span.duration, so its count is the number of spans that ran.
        recorded: () => isometer.recorded('span.duration', { 'span.name': 'bench.span' }),
      },
      sentry && {
        library: 'Sentry 11',
        call: "startSpan({ name: 'bench.span' }, () => 0)",
        run(n) {
          const { startSpan } = sentry;
          let total = 0;
          for (let i = 0; i < n; i++) total += startSpan({ name: 'bench.span' }, noop);
          return total + n;
        },
        recorded: async () => sentry.spansEnded(),
      },
      openTelemetryTracing && {
        library: 'OpenTelemetry',
        call: "tracer.startActiveSpan('bench.span', (span) => span.end()), AsyncLocalStorage context",
        run(n) {
          const { tracer } = openTelemetryTracing;
          let total = 0;
          for (let i = 0; i < n; i++) {
            total += tracer.startActiveSpan('bench.span', (span) => {
              // What isometer's startSpan guarantees too: the span is the active one in its callback
              // (checked on one call in 256, so the check costs the figure nothing).
              if ((i & 255) === 0 && trace.getActiveSpan() !== span) notActive++;
              span.end();
              return 0;
            });
          }
          return total + n;
        },
        // A span that was not active in its callback means no context manager did the work.
        recorded: async () => (notActive > 0 ? `✗ ${notActive} sampled spans were not active in their callback` : openTelemetryTracing.spansEnded()),
      },
    ];
  },
};
