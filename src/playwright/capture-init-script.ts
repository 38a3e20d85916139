/** What the in-page capture needs to know; passed by the fixture as the init script's argument. */
export interface CaptureScriptOptions {
  /** The binding (`exposeBinding`) each exported batch is handed to; absent bindings are skipped. */
  bindingName: string;
  /** The capture exporter's name, as `client.exporterNames()` shows it. */
  exporterName: string;
  /** Batches and spans the in-page `__ISOMETER_CAPTURE__` keeps before the oldest go. */
  maxBatches: number;
  maxSpans: number;
  /** How long an export waits for the test runner to take a batch, so a page being torn down never stalls the app's own flush. */
  deliveryTimeoutMs: number;
}

/**
 * Runs in the page before any of its scripts (`addInitScript`), so the app needs no change:
 *
 * 1. defines `globalThis.__ISOMETER_CAPTURE__ = { batches: [], spans: [] }`;
 * 2. watches for isometer's shared carrier (`globalThis.__ISOMETER__`, which every copy of
 *    isometer in the page creates or joins) and its `client`, and adds one exporter to every
 *    client that appears (`client.addExporter`, the same hook runtime entries use);
 * 3. that exporter keeps a structured copy of each metric batch and span batch in
 *    `__ISOMETER_CAPTURE__` and hands it to the test runner through the binding, waiting for the
 *    runner to take it, so an awaited `client.flush()` means the runner has the data.
 *
 * Why an exporter from outside rather than a capture hook inside the SDK: production code keeps
 * no test path (no global lookup on every flush, no bytes in the page bundles), and the capture
 * sees exactly what exporters see (after `prefix` and `beforeSendMetric`), through the public
 * Exporter contract. It never throws into the page: every step is feature-detected and caught.
 *
 * Self-contained on purpose: Playwright sends this function's source text to the page, so it
 * may use nothing from outside its own body.
 *
 * @example
 * await context.addInitScript(installIsometerCapture, { bindingName: '__isometerCapture', exporterName: 'playwright-capture', maxBatches: 1000, maxSpans: 10000, deliveryTimeoutMs: 2000 });
 */
export function installIsometerCapture(options: CaptureScriptOptions): void {
  type Batch = { points?: unknown[]; spans?: unknown[] } & Record<string, unknown>;
  type ClientLike = { addExporter?: (exporter: unknown) => void; exporterNames?: () => string[] };
  const g = globalThis as unknown as Record<string, unknown>;
  try {
    if (typeof g.__ISOMETER_CAPTURE__ === 'object' && g.__ISOMETER_CAPTURE__ !== null) return;
    const store = { batches: [] as unknown[], spans: [] as unknown[] };
    g.__ISOMETER_CAPTURE__ = store;

    const copy = <T>(value: T): T => {
      try {
        return typeof structuredClone === 'function' ? structuredClone(value) : (JSON.parse(JSON.stringify(value)) as T);
      } catch {
        return JSON.parse(JSON.stringify(value)) as T;
      }
    };
    const deliver = (kind: 'metrics' | 'spans', payload: unknown): Promise<unknown> | undefined => {
      const binding = g[options.bindingName];
      if (typeof binding !== 'function') return undefined;
      try {
        const taken = Promise.resolve((binding as (kind: string, payload: unknown, url: string) => unknown)(kind, payload, String(location.href))).catch(() => undefined);
        return Promise.race([taken, new Promise((resolve) => setTimeout(resolve, options.deliveryTimeoutMs))]);
      } catch {
        return undefined;
      }
    };
    const exporter = {
      name: options.exporterName,
      exportMetrics(batch: Batch) {
        try {
          const captured = copy({ resource: batch.resource, startTimeMs: batch.startTimeMs, endTimeMs: batch.endTimeMs, points: batch.points ?? [] });
          store.batches.push(captured);
          if (store.batches.length > options.maxBatches) store.batches.splice(0, store.batches.length - options.maxBatches);
          return deliver('metrics', captured);
        } catch {
          return undefined;
        }
      },
      exportSpans(batch: Batch) {
        try {
          const spans = copy(batch.spans ?? []);
          store.spans.push(...spans);
          if (store.spans.length > options.maxSpans) store.spans.splice(0, store.spans.length - options.maxSpans);
          return deliver('spans', spans);
        } catch {
          return undefined;
        }
      },
    };

    const attached = new WeakSet<object>();
    const attach = (client: unknown): void => {
      if (typeof client !== 'object' || client === null || attached.has(client)) return;
      const candidate = client as ClientLike;
      if (typeof candidate.addExporter !== 'function') return;
      attached.add(client);
      try {
        if (typeof candidate.exporterNames === 'function' && candidate.exporterNames().includes(options.exporterName)) return;
        candidate.addExporter(exporter);
      } catch {
        // A client that refuses the exporter is simply not captured.
      }
    };
    const watchCarrier = (carrier: unknown): unknown => {
      if (typeof carrier !== 'object' || carrier === null) return carrier;
      const holder = carrier as Record<string, unknown>;
      let client = holder.client;
      attach(client);
      try {
        Object.defineProperty(holder, 'client', {
          configurable: true,
          enumerable: true,
          get: () => client,
          set: (next: unknown) => {
            client = next;
            attach(next);
          },
        });
      } catch {
        // A frozen carrier: the client present now is all there is to capture.
      }
      return carrier;
    };

    if (g.__ISOMETER__ !== undefined) {
      watchCarrier(g.__ISOMETER__);
      return;
    }
    // isometer creates the carrier with `globalThis.__ISOMETER__ ??= {…}` when its first copy loads.
    let carrier: unknown;
    Object.defineProperty(g, '__ISOMETER__', {
      configurable: true,
      enumerable: false,
      get: () => carrier,
      set: (value: unknown) => {
        carrier = watchCarrier(value);
      },
    });
  } catch {
    // Capture is best effort; the page must run as it would without the test.
  }
}
