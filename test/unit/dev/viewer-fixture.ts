/** Test helper: a real viewer on a loopback port, and its state as `/api/state` serves it. */
import { startViewer, type Viewer, type ViewerOptions } from '../../../src/dev/start-viewer';

/** The parts of `/api/state` the tests read. */
export interface TestState {
  received: { points: Record<string, number>; spans: Record<string, number>; bySdk: Record<string, { points: number; spans: number }>; rejected: Record<string, number> };
  evicted: Record<string, number>;
  sizes: { series: number; traces: number };
  services: string[];
  metricNames: string[];
  charts: {
    counters: Array<{ name: string; total: number; services: string[] }>;
    gauges: Array<{ name: string; series: Array<{ latest: number; service: string }> }>;
    distributions: Array<{ name: string; services: string[]; overall: { count: number; min: number; max: number; p50: number; p90: number; p95: number; p99: number } }>;
  };
  series: Array<{
    origin: string;
    service: string;
    sdk: string;
    type: string;
    name: string;
    unit: string;
    attributes: Record<string, unknown>;
    total: { count: number; sum: number };
    points?: Array<Record<string, any>>;
  }>;
  traces: Array<{
    traceId: string;
    decision: string;
    services: string[];
    sdks: string[];
    spans: Array<{
      spanId: string;
      parentSpanId: string | null;
      name: string;
      op: string | null;
      origin: string;
      service: string;
      sdk: string;
      sampled: boolean | null;
      sampleRate: number | null;
      status: string;
      depth: number;
      attributes: Record<string, unknown>;
    }>;
  }>;
}

/**
 * @example
 * const viewer = await testViewer(); // closed after the test file's tests by the returned stop()
 */
export async function testViewer(options: ViewerOptions = {}): Promise<Viewer & { state(query?: string): Promise<TestState> }> {
  const viewer = await startViewer({ port: 0, ...options });
  return {
    ...viewer,
    async state(query = '') {
      const response = await fetch(`${viewer.url}/api/state${query}`);
      return (await response.json()) as TestState;
    },
  };
}
