import type { BrowserContext, Frame } from '@playwright/test';
import type { SpanData } from '../core/trace/span-data';
import { installIsometerCapture, type CaptureScriptOptions } from './capture-init-script';
import type { CapturedBatch, CapturedPoint, TelemetrySnapshot } from './telemetry-snapshot';

/**
 * What the pages of one browser context exported, collected in the test runner. It survives
 * navigations and closed pages: each batch reaches the runner when the page's client flushes
 * (on its interval, on page hide, or through `flush()`).
 *
 * @example
 * const capture = await installPageCapture(context);
 * await capture.flush();
 * capture.snapshot().spans.filter((span) => span.op === 'pageload');
 */
export interface PageCapture {
  /** Metric batches, oldest first. */
  readonly batches: readonly CapturedBatch[];
  /** Finished (sampled) spans, oldest first. */
  readonly spans: readonly SpanData[];
  /**
   * Flushes isometer's client in every open page and frame of the context
   * (`globalThis.__ISOMETER__.client.flush()`); resolves once the runner holds what they sent.
   * Pages without isometer, closed pages and pages mid-navigation are skipped.
   */
  flush(): Promise<void>;
  /** Everything captured so far, as `{ points, spans }`. */
  snapshot(): TelemetrySnapshot;
  /** Forgets what was captured (pages keep recording). */
  clear(): void;
}

/** Limits of what the page and the runner keep; far above what one test records. */
const LIMITS = { maxBatches: 5000, maxSpans: 50_000 };
const captures = new WeakMap<BrowserContext, Promise<PageCapture>>();
let installs = 0;

/**
 * Starts capturing what isometer exports in every page of `context`, including pages already
 * open (from their next navigation on). Installing twice on one context returns the same capture.
 *
 * @example
 * const capture = await installPageCapture(context);
 * await page.goto(url);
 * await capture.flush();
 * capture.snapshot().points;
 */
export function installPageCapture(context: BrowserContext): Promise<PageCapture> {
  let capture = captures.get(context);
  if (capture === undefined) {
    capture = install(context);
    captures.set(context, capture);
  }
  return capture;
}

async function install(context: BrowserContext): Promise<PageCapture> {
  const batches: CapturedBatch[] = [];
  const spans: SpanData[] = [];
  const options: CaptureScriptOptions = {
    bindingName: `__isometerPlaywrightCapture${++installs}`,
    exporterName: 'playwright-capture',
    maxBatches: LIMITS.maxBatches,
    maxSpans: LIMITS.maxSpans,
    deliveryTimeoutMs: 2000,
  };
  await context.exposeBinding(options.bindingName, (_source, kind: unknown, payload: unknown, url: unknown) => {
    if (kind === 'metrics' && isObject(payload)) {
      const batch = payload as Partial<CapturedBatch>;
      batches.push({
        url: typeof url === 'string' ? url : '',
        resource: batch.resource as CapturedBatch['resource'],
        startTimeMs: Number(batch.startTimeMs),
        endTimeMs: Number(batch.endTimeMs),
        points: Array.isArray(batch.points) ? (batch.points as CapturedPoint[]) : [],
      });
      if (batches.length > LIMITS.maxBatches) batches.splice(0, batches.length - LIMITS.maxBatches);
    } else if (kind === 'spans' && Array.isArray(payload)) {
      spans.push(...(payload as SpanData[]));
      if (spans.length > LIMITS.maxSpans) spans.splice(0, spans.length - LIMITS.maxSpans);
    }
  });
  await context.addInitScript(installIsometerCapture, options);

  return {
    batches,
    spans,
    async flush() {
      const frames = context
        .pages()
        .filter((page) => !page.isClosed())
        .flatMap((page) => page.frames());
      await Promise.all(frames.map(flushFrame));
    },
    snapshot() {
      return { points: batches.flatMap((batch) => batch.points), spans: [...spans] };
    },
    clear() {
      batches.length = 0;
      spans.length = 0;
    },
  };
}

async function flushFrame(frame: Frame): Promise<void> {
  try {
    await frame.evaluate(async () => {
      const carrier = (globalThis as unknown as { __ISOMETER__?: { client?: { flush?: () => Promise<boolean> } } }).__ISOMETER__;
      const client = carrier?.client;
      if (client && typeof client.flush === 'function') await client.flush();
    });
  } catch {
    // The frame navigated away or closed while flushing: what it sent on page hide still arrives.
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
