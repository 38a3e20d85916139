import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { installIsometerCapture, type CaptureScriptOptions } from '../../../src/playwright/capture-init-script';

const OPTIONS: CaptureScriptOptions = { bindingName: 'takeBatch', exporterName: 'playwright-capture', maxBatches: 2, maxSpans: 3, deliveryTimeoutMs: 50 };

interface FakeClient {
  exporters: Array<{ name: string; exportMetrics(batch: unknown): unknown; exportSpans(batch: unknown): unknown }>;
  addExporter(exporter: FakeClient['exporters'][number]): void;
  exporterNames(): string[];
}

/**
 * Runs the init script from its source text in a fresh realm, as Playwright does in a page, so
 * anything it used from outside its own body would fail here.
 */
function freshPage(withBinding = true) {
  const delivered: Array<[string, unknown, string]> = [];
  const realm: Record<string, unknown> = { location: { href: 'http://127.0.0.1/shop' }, setTimeout, structuredClone, JSON, Promise, Object, WeakSet };
  if (withBinding) realm.takeBatch = async (kind: string, payload: unknown, url: string) => void delivered.push([kind, payload, url]);
  runInNewContext(`globalThis.self = globalThis; (${installIsometerCapture.toString()})(${JSON.stringify(OPTIONS)});`, realm);
  return { realm, delivered };
}

function fakeClient(): FakeClient {
  const client: FakeClient = {
    exporters: [],
    addExporter: (exporter) => void client.exporters.push(exporter),
    exporterNames: () => client.exporters.map((exporter) => exporter.name),
  };
  return client;
}

/** What isometer does when its first copy loads, then at init (src/core/current-client.ts). */
function isometerLoadsAndInits(realm: Record<string, unknown>, client: FakeClient): void {
  runInNewContext('globalThis.__ISOMETER__ ??= { client: undefined, contextManager: {} };', realm);
  (realm.__ISOMETER__ as { client: unknown }).client = client;
}

describe('installIsometerCapture', () => {
  it('defines the capture store before the page runs', () => {
    const { realm } = freshPage();
    expect(JSON.parse(JSON.stringify(realm.__ISOMETER_CAPTURE__))).toEqual({ batches: [], spans: [] });
  });

  it('adds its exporter to the client once isometer creates its carrier and sets the client', () => {
    const { realm } = freshPage();
    const client = fakeClient();
    isometerLoadsAndInits(realm, client);
    expect(client.exporterNames()).toEqual(['playwright-capture']);
    expect((realm.__ISOMETER__ as { client: unknown }).client).toBe(client);
    // A second client after close() + init() is captured too; the same client is not added to twice.
    const next = fakeClient();
    (realm.__ISOMETER__ as { client: unknown }).client = next;
    (realm.__ISOMETER__ as { client: unknown }).client = next;
    expect(next.exporterNames()).toEqual(['playwright-capture']);
  });

  it('keeps copies of what it exports, bounded, and hands each batch to the binding', async () => {
    const { realm, delivered } = freshPage();
    const client = fakeClient();
    isometerLoadsAndInits(realm, client);
    const [exporter] = client.exporters;
    const point = { type: 'counter', name: 'cart.add', sum: 1, attributes: { plan: 'pro' }, exemplars: [] };
    for (let flush = 0; flush < 3; flush++) await exporter.exportMetrics({ resource: { serviceName: 'shop' }, startTimeMs: flush, endTimeMs: flush + 1, points: [point] });
    point.sum = 99;
    await exporter.exportSpans({
      resource: {},
      spans: [
        { traceId: 'a', name: 'one' },
        { traceId: 'a', name: 'two' },
        { traceId: 'a', name: 'three' },
        { traceId: 'a', name: 'four' },
      ],
    });
    const store = realm.__ISOMETER_CAPTURE__ as { batches: Array<{ startTimeMs: number; points: Array<{ sum: number }> }>; spans: Array<{ name: string }> };
    expect(store.batches.map((batch) => batch.startTimeMs)).toEqual([1, 2]);
    expect(store.batches[1].points[0].sum).toBe(1);
    expect(store.spans.map((span) => span.name)).toEqual(['two', 'three', 'four']);
    expect(delivered.map(([kind, , url]) => [kind, url])).toEqual([
      ['metrics', 'http://127.0.0.1/shop'],
      ['metrics', 'http://127.0.0.1/shop'],
      ['metrics', 'http://127.0.0.1/shop'],
      ['spans', 'http://127.0.0.1/shop'],
    ]);
  });

  it('exports without a binding, and never throws into the page', async () => {
    const { realm } = freshPage(false);
    const client = fakeClient();
    isometerLoadsAndInits(realm, client);
    const [exporter] = client.exporters;
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => exporter.exportMetrics({ points: [circular] })).not.toThrow();
    expect(await exporter.exportMetrics({ points: [] })).toBeUndefined();
  });
});
