import { describe, MAX_ATTRIBUTE_KEY_LENGTH, MAX_ATTRIBUTES, sanitizeAttributeValue, type Attributes, type AttributeValue } from '../internal/attributes';
import type { TraceLink } from '../internal/context';
import { debugLogger } from '../internal/debug-logger';
import { now, wallClockMs } from '../internal/runtime-globals';
import type { PropagationContext } from '../internal/propagation-context';
import type { SpanData, SpanStatus } from './span-data';
import type { ExternalSpan } from '../internal/tracing-bridge';

/** Where a span's name came from: `url` names are kept out of `sentry-transaction` (they are high-cardinality). */
export type SpanNameSource = 'custom' | 'route' | 'url';

/** Called once when a span ends (the client exports it and records its duration). */
/** Who is told when a span ends: the client that was active when it started. */
export interface SpanEndTarget {
  onSpanEnd(span: Span): void;
}

/** What a span that is not recording holds: nothing, shared. */
const NO_ATTRIBUTES: Record<string, AttributeValue> = /* @__PURE__ */ Object.freeze({}) as Record<string, AttributeValue>;

/**
 * A timed operation in a trace. A span is recording when its trace is sampled; an unsampled
 * span is non-recording: it keeps its ids, decision, name and start time (it still carries the
 * trace to everything started inside it), and attributes set on it are not kept.
 *
 * @example
 * const span = startInactiveSpan({ name: 'resize', op: 'image' });
 * span.setAttribute('width', 640);
 * span.end();
 */
export class Span implements TraceLink {
  /** Marks a span of any copy of isometer (see `isSpan`). */
  get isometerSpan(): true {
    return true;
  }

  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly sampled: boolean | undefined;
  readonly sampleRate: number | undefined;
  readonly propagation: PropagationContext;
  /** The first span of this trace in this runtime. */
  readonly root: Span;
  readonly startTimeMs: number;
  name: string;
  nameSource: SpanNameSource;
  op: string | undefined;
  status: SpanStatus = 'unset';
  statusMessage: string | undefined;
  endTimeMs: number | undefined;
  readonly external: ExternalSpan | undefined;
  /**
   * Whether ending it feeds the `span.duration` distribution. Request instrumentation turns it
   * off: those spans feed their convention metric (`http.server.request.duration`) instead.
   */
  recordsDuration = true;
  private readonly attributes: Record<string, AttributeValue>;
  private attributeCount = 0;
  /** The monotonic clock at the start (`now()`), for ends timed elsewhere. */
  readonly startClock = now();

  constructor(
    init: {
      traceId: string;
      spanId: string;
      parentSpanId?: string;
      sampled: boolean | undefined;
      sampleRate?: number;
      propagation: PropagationContext;
      root?: Span;
      name: string;
      nameSource?: SpanNameSource;
      op?: string;
      attributes: Attributes;
      startTimeMs?: number;
      /** The Sentry span behind this one, when Sentry owns tracing. */
      external?: ExternalSpan;
    },
    private readonly endTarget?: SpanEndTarget,
  ) {
    this.external = init.external;
    this.traceId = init.traceId;
    this.spanId = init.spanId;
    this.parentSpanId = init.parentSpanId;
    this.sampled = init.sampled;
    this.sampleRate = init.sampleRate;
    this.propagation = init.propagation;
    this.root = init.root ?? this;
    this.name = init.name;
    this.nameSource = init.nameSource ?? 'custom';
    this.op = init.op;
    if (init.sampled === true) {
      this.attributes = { ...init.attributes };
      for (const _ in this.attributes) this.attributeCount++;
    } else {
      this.attributes = NO_ATTRIBUTES;
    }
    this.startTimeMs = init.startTimeMs ?? wallClockMs();
  }

  /** True while the span is open and its trace is sampled: only then is it exported. */
  isRecording(): boolean {
    return this.endTimeMs === undefined && this.sampled === true;
  }

  /**
   * Sets one attribute. Only this value is checked (the span's other attributes were checked when
   * they were set); a bad key or value, or a 33rd key, is dropped with a one-time warning. A
   * non-recording span keeps nothing.
   */
  setAttribute(key: string, value: unknown): this {
    if (this.endTimeMs !== undefined) return this;
    if (this.attributes === NO_ATTRIBUTES && this.external === undefined) return this;
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_ATTRIBUTE_KEY_LENGTH) {
      debugLogger.warnOnce(
        'span.setAttribute:key',
        process.env.NODE_ENV !== 'production' && `span.setAttribute: keys must be strings of 1–${MAX_ATTRIBUTE_KEY_LENGTH} characters; such entries were dropped.`,
      );
      return this;
    }
    if (value === undefined || value === null) return this;
    const clean = sanitizeAttributeValue(value);
    if (clean === undefined) {
      debugLogger.warnOnce(
        'span.setAttribute:value',
        process.env.NODE_ENV !== 'production' && `span.setAttribute: "${key}" must be a string, finite number or boolean; got ${describe(value)}. It was dropped.`,
      );
      return this;
    }
    if (this.attributes !== NO_ATTRIBUTES) {
      if (!(key in this.attributes)) {
        if (this.attributeCount >= MAX_ATTRIBUTES) {
          debugLogger.warnOnce('span.setAttribute:count', process.env.NODE_ENV !== 'production' && `span.setAttribute: a span keeps at most ${MAX_ATTRIBUTES} attributes; the rest were dropped.`);
          return this;
        }
        this.attributeCount++;
      }
      this.attributes[key] = clean;
    }
    this.external?.setAttribute(key, clean);
    return this;
  }

  /** Sets each entry as `setAttribute` does. */
  setAttributes(attributes: Record<string, unknown>): this {
    if (typeof attributes !== 'object' || attributes === null) return this;
    try {
      for (const key of Object.keys(attributes)) this.setAttribute(key, attributes[key]);
    } catch {
      debugLogger.warnOnce(
        'span.setAttributes:unreadable',
        process.env.NODE_ENV !== 'production' && 'span.setAttributes: the attributes object could not be read (a proxy or getter threw); the rest were ignored.',
      );
    }
    return this;
  }

  /** One attribute's value, if the span keeps it. */
  getAttribute(key: string): AttributeValue | undefined {
    return this.attributes[key];
  }

  setStatus(status: SpanStatus, message?: string): this {
    if (this.endTimeMs !== undefined) return this;
    if (status === 'ok' || status === 'error' || status === 'unset') this.status = status;
    if (typeof message === 'string') this.statusMessage = message.slice(0, 512);
    // Sentry's codes: 0 unset, 1 ok, 2 error.
    this.external?.setStatus({ code: this.status === 'ok' ? 1 : this.status === 'error' ? 2 : 0, message: this.statusMessage });
    return this;
  }

  updateName(name: string, source: SpanNameSource = 'custom'): this {
    if (this.endTimeMs === undefined && typeof name === 'string' && name.length > 0) {
      this.name = name;
      this.nameSource = source;
      this.external?.updateName(name);
    }
    return this;
  }

  /** Ends the span (once; later calls are ignored). */
  end(endTimeMs?: number): void {
    if (this.endTimeMs !== undefined) return;
    const explicit = typeof endTimeMs === 'number' && endTimeMs >= this.startTimeMs;
    this.endTimeMs = explicit ? endTimeMs : this.wallTimeAt(now());
    // Sentry times its own span unless the caller named the end.
    this.external?.end(explicit ? endTimeMs : undefined);
    this.endTarget?.onSpanEnd(this);
  }

  /**
   * The wall-clock time (epoch ms) of a monotonic clock reading (`now()`) taken during the span:
   * its start plus the clock's advance, so a time noted earlier can end it later.
   */
  wallTimeAt(clock: number): number {
    return this.startTimeMs + (clock - this.startClock);
  }

  /** Milliseconds from start to end (or to now, while open). */
  durationMs(): number {
    return (this.endTimeMs ?? this.wallTimeAt(now())) - this.startTimeMs;
  }

  getAttributes(): Attributes {
    return { ...this.attributes };
  }

  /** The span as exporters receive it. */
  toData(): SpanData {
    return {
      traceId: this.traceId,
      spanId: this.spanId,
      parentSpanId: this.parentSpanId,
      name: this.name,
      op: this.op,
      startTimeMs: this.startTimeMs,
      endTimeMs: this.endTimeMs ?? wallClockMs(),
      status: this.status,
      statusMessage: this.statusMessage,
      // An ended span's attributes no longer change: no copy needed.
      attributes: this.endTimeMs === undefined ? { ...this.attributes } : this.attributes,
      sampled: this.sampled === true,
      sampleRate: this.sampleRate,
      sampleRand: this.propagation.sampleRand,
      sentryOwned: this.external !== undefined ? true : undefined,
    };
  }
}

/**
 * True for a span of any copy of isometer in the runtime, where `instanceof Span` is true only
 * for this copy's: a page's lazily loaded files (engine, web vitals) and its script tag are
 * bundles of their own, each with its own `Span` class, and they hand spans to each other.
 */
export function isSpan(value: unknown): value is Span {
  return typeof value === 'object' && value !== null && (value as Partial<Span>).isometerSpan === true;
}
