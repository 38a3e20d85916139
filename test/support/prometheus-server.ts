import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The real Prometheus server (Debian's `prometheus` package), started on loopback with a
 * temporary config and storage directory, scraping one target. Missing, it is an error that
 * says how to install it: a test that needs it never passes without it.
 */
export interface PrometheusServer {
  url: string;
  /** An instant query's result vector. */
  query(expression: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  /** Exemplars of the series `expression` selects, from `startSeconds` to now. */
  queryExemplars(
    expression: string,
    startSeconds: number,
  ): Promise<Array<{ seriesLabels: Record<string, string>; exemplars: Array<{ labels: Record<string, string>; value: string; timestamp: number }> }>>;
  close(): Promise<void>;
}

export const PROMETHEUS_BINARY = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
/** promtool comes in the same Debian package. */
export const PROMTOOL_BINARY = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';

/** Throws, saying how to install it, when the Prometheus server (or `promtool`) is missing. */
export function requirePrometheus(tool: 'prometheus' | 'promtool' = 'prometheus'): string {
  const binary = tool === 'prometheus' ? PROMETHEUS_BINARY : PROMTOOL_BINARY;
  if (!existsSync(binary)) {
    throw new Error(
      `${tool} is needed for this test and was not found at ${binary}. ` +
        `Install Debian's prometheus package with \`apt-get install -y prometheus\` (.ci/run does this), or point ${tool === 'prometheus' ? 'PROMETHEUS_BIN' : 'PROMTOOL_BIN'} at the binary.`,
    );
  }
  return binary;
}

export async function startPrometheus(options: { target: string; metricsPath: string; scrapeIntervalMs: number; features: string[] }): Promise<PrometheusServer> {
  requirePrometheus();
  const directory = mkdtempSync(join(tmpdir(), 'isometer-prometheus-'));
  const port = await freePort();
  const interval = `${options.scrapeIntervalMs}ms`;
  writeFileSync(
    join(directory, 'prometheus.yml'),
    [
      'global:',
      `  scrape_interval: ${interval}`,
      `  scrape_timeout: ${interval}`,
      'scrape_configs:',
      '  - job_name: isometer',
      `    metrics_path: ${options.metricsPath}`,
      '    static_configs:',
      `      - targets: ['${options.target}']`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(
    PROMETHEUS_BINARY,
    [
      `--config.file=${join(directory, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(directory, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      ...(options.features.length > 0 ? [`--enable-feature=${options.features.join(',')}`] : []),
      '--log.level=info',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('Server is ready to receive web requests')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`prometheus exited with ${code} before it was ready:\n${log.slice(-2000)}`)));
    child.on('error', reject);
  });
  const url = `http://127.0.0.1:${port}`;
  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus ${path}: ${body.error}`);
    return body.data;
  };
  return {
    url,
    query: async (expression) => (await api<{ result: Array<{ metric: Record<string, string>; value: [number, string] }> }>(`/api/v1/query?query=${encodeURIComponent(expression)}`)).result,
    queryExemplars: (expression, startSeconds) => api(`/api/v1/query_exemplars?query=${encodeURIComponent(expression)}&start=${startSeconds}&end=${Date.now() / 1000 + 60}`),
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** A port that was just free on loopback (Prometheus cannot report a port it chose itself). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
