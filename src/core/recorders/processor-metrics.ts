import type { ActiveContext } from '../internal/context';
import { getContextManager } from '../carrier';
import { debugLogger } from '../internal/debug-logger';
import { metrics } from '../metrics/metrics';
import { now, wallClockMs } from '../internal/runtime-globals';
import { isSpan, type Span } from '../trace/span';
import { startInactiveSpan, withActiveSpan } from '../trace/start-span';
import { isObject, optionsObject } from './operation-fields';
import { recorderMetricName, resolveRecorderPrefix } from './recorder-metric-name';

/** Options of `processorMetrics`. */
export interface ProcessorMetricsOptions {
  /** Metric name prefix: `<prefix>.processor.ttfb`. Default: none. */
  prefix?: string;
  /**
   * Report only the first TTFB of each turn; later `startTtfb()`s in the turn do nothing until
   * `newTurn()`. For streaming services that emit a first byte per chunk. Default false.
   */
  reportOnlyFirstTtfb?: boolean;
  /** Added to the spans and the distributions (keep them low-cardinality: a model name, not a request id). */
  attributes?: Record<string, unknown>;
}

/** Options of `startTtfb` and `startProcessing`. */
export interface ProcessorTimingOptions {
  /** The parent span; default: the span active when the measurement starts. */
  parentSpan?: Span;
}

/** One running measurement. `stop()` records it once and returns its milliseconds (the same number on later calls). */
export interface ProcessorMeasurement {
  stop(): number | undefined;
}

/** TTFB and processing time of one pipeline processor (speech-to-text, LLM, text-to-speech …). */
export interface ProcessorMetrics {
  readonly processorName: string;
  /** Starts measuring time to first byte. A second start before a stop restarts it (the earlier one is discarded). */
  startTtfb(options?: ProcessorTimingOptions): ProcessorMeasurement;
  /** Stops the running TTFB measurement, records it and returns its milliseconds; undefined (and a one-time warning) with none running. */
  stopTtfb(): number | undefined;
  /** Starts measuring processing time. A second start before a stop restarts it. */
  startProcessing(options?: ProcessorTimingOptions): ProcessorMeasurement;
  /** Stops the running processing measurement, records it and returns its milliseconds. */
  stopProcessing(): number | undefined;
  /** A new turn began: with `reportOnlyFirstTtfb`, the next TTFB is reported again. */
  newTurn(): void;
}

type Kind = 'ttfb' | 'processing';

interface Running {
  readonly measurement: ProcessorMeasurement;
}

const NOOP_MEASUREMENT: ProcessorMeasurement = { stop: () => undefined };

/**
 * Time to first byte and processing time of a streaming processor, as spans (op `ttfb` /
 * `processing`, named after the processor, child of the span active at start) and as
 * `<prefix>.processor.ttfb` / `<prefix>.processor.processing` distributions in milliseconds with
 * attribute `processor`. Each instance keeps one running measurement per kind; the handles
 * `startTtfb()`/`startProcessing()` return let overlapping measurements stop independently.
 * Works before `init` and without Sentry: the milliseconds are still measured and returned.
 *
 * @example
 * const llm = processorMetrics('openai-llm', { reportOnlyFirstTtfb: true });
 * llm.newTurn();
 * llm.startTtfb(); llm.startProcessing();
 * // … first token arrives
 * llm.stopTtfb();
 * // … last token arrives
 * llm.stopProcessing();
 */
export function processorMetrics(processorName: string, options?: ProcessorMetricsOptions): ProcessorMetrics {
  let name = processorName;
  if (typeof name !== 'string' || name.length === 0) {
    debugLogger.warnOnce('processorMetrics:name', 'processorMetrics(processorName): processorName must be a non-empty string such as "deepgram-stt"; "unknown" was used.');
    name = 'unknown';
  }
  const settings = optionsObject(options) ?? {};
  const prefix = resolveRecorderPrefix(settings.prefix, 'processorMetrics');
  const firstTtfbOnly = settings.reportOnlyFirstTtfb === true;
  const attributes = { ...(isObject(settings.attributes) ? settings.attributes : {}), processor: name };
  const metricNames = { ttfb: recorderMetricName(prefix, 'processor.ttfb'), processing: recorderMetricName(prefix, 'processor.processing') };
  const running: Record<Kind, Running | undefined> = { ttfb: undefined, processing: undefined };
  let turn = 0;
  let ttfbReportedInTurn = false;

  function record(kind: Kind, startTimeMs: number, durationMs: number, context: ActiveContext | undefined, parentSpan: Span | undefined): void {
    try {
      // Created at stop but in the context captured at start: same parent, trace and scoped attributes.
      getContextManager().with(context ?? {}, () => {
        const span = startInactiveSpan({ name, op: kind, attributes, startTime: startTimeMs, parentSpan });
        span.end(startTimeMs + durationMs);
        withActiveSpan(span, () => metrics.distribution(metricNames[kind], durationMs, { unit: 'millisecond', attributes }));
      });
    } catch (error) {
      debugLogger.internalError(`processorMetrics.stop`, error);
    }
  }

  function start(kind: Kind, timing: ProcessorTimingOptions | undefined): ProcessorMeasurement {
    try {
      if (kind === 'ttfb' && firstTtfbOnly && ttfbReportedInTurn) return NOOP_MEASUREMENT;
      if (running[kind] !== undefined) debugLogger.log(`processorMetrics(${name}): ${kind} started again before it stopped; the measurement restarted.`);
      const startClock = now();
      const startTimeMs = wallClockMs();
      const context = getContextManager().active();
      const parentSpan = isObject(timing) && isSpan(timing.parentSpan) ? timing.parentSpan : undefined;
      const startedInTurn = turn;
      let result: number | undefined;
      const entry: Running = {
        measurement: {
          stop() {
            if (result !== undefined) return result;
            result = Math.max(0, now() - startClock);
            if (running[kind] === entry) running[kind] = undefined;
            if (kind === 'ttfb' && startedInTurn === turn) ttfbReportedInTurn = true;
            record(kind, startTimeMs, result, context, parentSpan);
            return result;
          },
        },
      };
      running[kind] = entry;
      return entry.measurement;
    } catch (error) {
      debugLogger.internalError(`processorMetrics.start`, error);
      return NOOP_MEASUREMENT;
    }
  }

  function stop(kind: Kind): number | undefined {
    const entry = running[kind];
    if (entry === undefined) {
      // With first-TTFB-only, stops after the turn's report are expected and silent.
      if (kind === 'ttfb' && firstTtfbOnly && ttfbReportedInTurn) return undefined;
      const method = kind === 'ttfb' ? 'stopTtfb' : 'stopProcessing';
      debugLogger.warnOnce(
        `processorMetrics:${method}-without-start`,
        `processorMetrics(${name}).${method}() was called with no measurement running (call ${kind === 'ttfb' ? 'startTtfb' : 'startProcessing'}() first); nothing was recorded.`,
      );
      return undefined;
    }
    return entry.measurement.stop();
  }

  return {
    processorName: name,
    startTtfb: (timing) => start('ttfb', timing),
    stopTtfb: () => stop('ttfb'),
    startProcessing: (timing) => start('processing', timing),
    stopProcessing: () => stop('processing'),
    newTurn() {
      turn++;
      ttfbReportedInTurn = false;
    },
  };
}
