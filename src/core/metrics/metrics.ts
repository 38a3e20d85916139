import type { Attributes } from '../internal/attributes';
import { debugLogger } from '../internal/debug-logger';
import { getRecorder, type CounterCell, type MetricsRecorder } from '../carrier';
import { now } from '../internal/runtime-globals';
import type { MetricOptions, MetricUnit } from './types';
import { onSettled } from '../internal/on-settled';

/** A counter made once and added to many times. */
export interface Counter {
  add(value?: number, attributes?: Record<string, unknown>): void;
  /** Pins an attribute set: the fastest way to count in a hot loop. */
  bind(attributes?: Record<string, unknown>): BoundCounter;
}

/** A counter with its attributes fixed. Scoped attributes and exemplars do not apply to it. */
export interface BoundCounter {
  add(value?: number): void;
}

/** A running timer; `stop()` records its duration once and returns it in milliseconds. */
export interface Timer {
  stop(): number;
}

interface TimingOptions {
  attributes?: Record<string, unknown>;
}

function guard(where: string, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    debugLogger.internalError(where, error);
  }
}

/**
 * A bound counter keeps the series its last add went to and adds to it directly while that is
 * still the live client's current interval (two compares); after a flush, `close()` + `init()`, or
 * a dropped point it goes through the aggregator once more, which re-finds the series.
 */
class BoundCounterImpl implements BoundCounter {
  private aggregator: MetricsRecorder | undefined;
  private epoch = -1;
  private series: CounterCell | undefined;

  constructor(
    private readonly name: string,
    private readonly unit: MetricUnit | undefined,
    private readonly attributes: Record<string, unknown> | undefined,
  ) {}

  add(value = 1): void {
    try {
      const aggregator = getRecorder();
      const series = this.series;
      if (series !== undefined && aggregator === this.aggregator && aggregator.epoch === this.epoch && typeof value === 'number' && value >= 0 && value !== Infinity) {
        series.sum += value;
        series.count++;
        return;
      }
      this.aggregator = aggregator;
      this.epoch = aggregator.epoch;
      this.series = aggregator.boundCounterAdd(this.name, value, this.unit, this.attributes);
    } catch (error) {
      debugLogger.internalError('counter.add', error);
    }
  }
}

/**
 * The metrics API. Every call is safe before `init` (it does nothing), never throws, and drops
 * bad input with a one-time warning and a count by reason.
 *
 * @example
 * metrics.count('checkout.click', 1, { attributes: { plan: 'pro' } });
 * metrics.gauge('queue.depth', 12);
 * metrics.distribution('image.size', 48_213, { unit: 'byte' });
 * const total = await metrics.time('db.query', () => db.query(sql));
 */
export const metrics = {
  /** Adds `value` (default 1) to a counter. Counters only go up: negative values are dropped. */
  count(name: string, value: number = 1, options?: MetricOptions): void {
    try {
      getRecorder().count(name, value, options?.unit, options?.attributes);
    } catch (error) {
      debugLogger.internalError('metrics.count', error);
    }
  },

  /** Sets a gauge; the interval keeps the last value and min, max, sum and count. */
  gauge(name: string, value: number, options?: MetricOptions): void {
    try {
      getRecorder().gauge(name, value, options?.unit, options?.attributes);
    } catch (error) {
      debugLogger.internalError('metrics.gauge', error);
    }
  },

  /** Records a value into a distribution (an exponential histogram with count, sum, min and max). */
  distribution(name: string, value: number, options?: MetricOptions): void {
    try {
      getRecorder().distribution(name, value, options?.unit, options?.attributes);
    } catch (error) {
      debugLogger.internalError('metrics.distribution', error);
    }
  },

  /** A reusable counter. */
  counter(name: string, options?: { unit?: MetricUnit }): Counter {
    let unit: MetricUnit | undefined;
    try {
      unit = typeof options === 'object' && options !== null ? options.unit : undefined;
    } catch (error) {
      debugLogger.internalError('metrics.counter', error);
    }
    return {
      add(value = 1, attributes) {
        guard('counter.add', () => getRecorder().count(name, value, unit, attributes));
      },
      bind(attributes) {
        return new BoundCounterImpl(name, unit, attributes);
      },
    };
  },

  /** Starts a timer; `stop()` records the elapsed milliseconds as a distribution. */
  timer(name: string, options?: TimingOptions): Timer {
    const start = now();
    let elapsed: number | undefined;
    return {
      stop() {
        if (elapsed !== undefined) return elapsed;
        elapsed = now() - start;
        recordDuration('metrics.timer', name, elapsed, options);
        return elapsed;
      },
    };
  },

  /**
   * Runs `fn` and records how long it took (until its promise settles, when it returns one) as a
   * distribution in milliseconds. Returns what `fn` returns; errors `fn` throws pass through unchanged.
   */
  time<T>(name: string, fn: () => T, options?: TimingOptions): T {
    if (typeof fn !== 'function') {
      debugLogger.warnOnce('metrics.time:fn', process.env.NODE_ENV !== 'production' && 'metrics.time(name, fn): fn must be a function; nothing was timed.');
      return undefined as T;
    }
    const start = now();
    return onSettled('metrics.time', fn, () => recordDuration('metrics.time', name, now() - start, options));
  },
};

function recordDuration(where: string, name: string, milliseconds: number, options: TimingOptions | undefined): void {
  try {
    getRecorder().distribution(name, milliseconds, 'millisecond', options?.attributes as Attributes | undefined, where);
  } catch (error) {
    debugLogger.internalError(where, error);
  }
}
