import { sanitizeAttributes, type Attributes, type AttributeValue } from '../internal/attributes';
import type { TraceLink } from '../internal/context';
import { now, wallClockMs } from '../internal/runtime-globals';
import type { PropagationContext } from '../internal/propagation-context';
import type { SpanData, SpanStatus } from './span-data';
import type { ExternalSpan } from '../internal/tracing-bridge';

/** Where a span's name came from: `url` names are kept out of `sentry-transaction` (they are high-cardinality). */
export type SpanNameSource = 'custom' | 'route' | 'url';

/** Called once when a span ends (the client exports it and records its duration). */
export type SpanEndHook = (span: Span) => void;

/**
 * A timed operation in a trace. A span is recording when its trace is sampled; an unsampled
 * span still carries the trace id and decision to everything started inside it.
 *
 * @example
 * const span = startInactiveSpan({ name: 'resize', op: 'image' });
 * span.setAttribute('width', 640);
 * span.end();
 */
export class Span implements TraceLink {
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
  private readonly attributes: Record<string, AttributeValue>;
  private readonly startClock = now();

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
    private readonly onEnd?: SpanEndHook,
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
    this.attributes = { ...init.attributes };
    this.startTimeMs = init.startTimeMs ?? wallClockMs();
  }

  /** True while the span is open and its trace is sampled: only then is it exported. */
  isRecording(): boolean {
    return this.endTimeMs === undefined && this.sampled === true;
  }

  setAttribute(key: string, value: unknown): this {
    return this.setAttributes({ [key]: value });
  }

  setAttributes(attributes: Record<string, unknown>): this {
    if (this.endTimeMs !== undefined) return this;
    const clean = sanitizeAttributes(attributes, 'span.setAttributes').attributes;
    for (const key in clean) {
      this.attributes[key] = clean[key];
      this.external?.setAttribute(key, clean[key]);
    }
    return this;
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
    this.endTimeMs = explicit ? endTimeMs : this.startTimeMs + (now() - this.startClock);
    // Sentry times its own span unless the caller named the end.
    this.external?.end(explicit ? endTimeMs : undefined);
    this.onEnd?.(this);
  }

  /** Milliseconds from start to end (or to now, while open). */
  durationMs(): number {
    return (this.endTimeMs ?? this.startTimeMs + (now() - this.startClock)) - this.startTimeMs;
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
      attributes: { ...this.attributes },
      sampled: this.sampled === true,
      sampleRate: this.sampleRate,
      sampleRand: this.propagation.sampleRand,
    };
  }
}
