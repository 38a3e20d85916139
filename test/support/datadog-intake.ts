import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, inflateSync } from 'node:zlib';

/**
 * A loopback stand-in for Datadog's metrics intake. Each request is checked against what Datadog
 * publishes for the two endpoints (https://docs.datadoghq.com/api/latest/metrics/): the path and
 * method, `DD-API-KEY`, `Content-Type`, the `Content-Encoding` the endpoint lists, the size limits,
 * and the body against the `MetricPayload` / `DistributionPointsPayload` schemas (field names,
 * types, required fields, enum values, timestamp window). A valid request is answered 202 with
 * `{"errors":[]}` and kept; an invalid one 400 (403 for a wrong key, 413 past a limit) with the
 * reasons, which are also kept in `violations` so a test can assert there were none.
 */

/** A v2 series as received. */
export interface ReceivedSeries {
  metric: string;
  type?: number;
  interval?: number;
  points: Array<{ timestamp: number; value: number }>;
  tags?: string[];
  unit?: string;
  resources?: Array<{ name: string; type: string }>;
}

/** A v1 distribution-points series as received. */
export interface ReceivedDistribution {
  metric: string;
  points: Array<[number, number[]]>;
  tags?: string[];
  host?: string;
  type?: string;
}

export interface DatadogIntakeRequest {
  path: string;
  headers: IncomingMessage['headers'];
  compressedBytes: number;
  bytes: number;
}

/** Decides an answer before the intake looks at the request: a status (and headers), `'reset'`, `'hang'`, or undefined to validate and accept. */
export type DatadogFault = (index: number, request: IncomingMessage) => { status: number; headers?: Record<string, string> } | 'reset' | 'hang' | undefined;

export interface DatadogIntake {
  endpoint: string;
  apiKey: string;
  requests: DatadogIntakeRequest[];
  series: ReceivedSeries[];
  distributions: ReceivedDistribution[];
  violations: string[];
  /** Resolves once `n` requests arrived (whatever the answer). */
  arrived(n: number): Promise<void>;
  close(): Promise<void>;
}

// https://docs.datadoghq.com/api/latest/metrics/#submit-metrics
const V2_MAX_COMPRESSED = 512_000;
const V2_MAX_DECOMPRESSED = 5_242_880;
const V2_ENCODINGS = ['deflate', 'gzip', 'zstd1'];
// https://docs.datadoghq.com/api/latest/metrics/#submit-distribution-points lists deflate only and
// no limit of its own; the v2 limits, the strictest Datadog publishes, are applied.
const V1_ENCODINGS = ['deflate'];

export async function startDatadogIntake(options: { apiKey?: string; fault?: DatadogFault } = {}): Promise<DatadogIntake> {
  const apiKey = options.apiKey ?? 'test-api-key-0123456789abcdef';
  const intake: Omit<DatadogIntake, 'endpoint' | 'arrived' | 'close'> = { apiKey, requests: [], series: [], distributions: [], violations: [] };
  const watchers: Array<{ n: number; resolve(): void }> = [];
  let index = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const own = index++;
      const fault = options.fault?.(own, request);
      if (fault === 'reset') request.socket.destroy();
      else if (fault === 'hang') undefined;
      else if (fault !== undefined) response.writeHead(fault.status, fault.headers ?? {}).end();
      else handle(request, Buffer.concat(chunks), response);
      for (const watcher of [...watchers]) if (index >= watcher.n) watcher.resolve();
    });
  });

  const reject = (response: ServerResponse, status: number, errors: string[]): void => {
    intake.violations.push(...errors);
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ errors }));
  };

  const handle = (request: IncomingMessage, compressed: Buffer, response: ServerResponse): void => {
    const path = request.url ?? '';
    const isSeries = path === '/api/v2/series';
    if (!isSeries && path !== '/api/v1/distribution_points') return reject(response, 404, [`unknown path ${path}`]);
    if (request.method !== 'POST') return reject(response, 405, [`${path}: method ${request.method}`]);
    if (request.headers['dd-api-key'] !== apiKey) return reject(response, 403, [`${path}: DD-API-KEY missing or wrong`]);
    if (!/^application\/json\b/.test(request.headers['content-type'] ?? '')) return reject(response, 415, [`${path}: Content-Type ${request.headers['content-type']}`]);
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && !(isSeries ? V2_ENCODINGS : V1_ENCODINGS).includes(encoding)) return reject(response, 400, [`${path}: Content-Encoding ${encoding} is not accepted here`]);
    if (compressed.length > V2_MAX_COMPRESSED) return reject(response, 413, [`${path}: ${compressed.length} bytes > ${V2_MAX_COMPRESSED}`]);
    let body: Buffer;
    try {
      body = encoding === 'deflate' ? inflateSync(compressed) : encoding === 'gzip' ? gunzipSync(compressed) : compressed;
    } catch (error) {
      return reject(response, 400, [`${path}: body does not decode as ${encoding}: ${String(error)}`]);
    }
    if (body.length >= V2_MAX_DECOMPRESSED) return reject(response, 413, [`${path}: ${body.length} decompressed bytes ≥ ${V2_MAX_DECOMPRESSED}`]);
    intake.requests.push({ path, headers: request.headers, compressedBytes: compressed.length, bytes: body.length });
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      return reject(response, 400, [`${path}: body is not JSON`]);
    }
    const errors = isSeries ? checkMetricPayload(payload) : checkDistributionPayload(payload);
    if (errors.length > 0)
      return reject(
        response,
        400,
        errors.map((error) => `${path}: ${error}`),
      );
    const series = (payload as { series: unknown[] }).series;
    if (isSeries) intake.series.push(...(series as ReceivedSeries[]));
    else intake.distributions.push(...(series as ReceivedDistribution[]));
    response.writeHead(202, { 'content-type': 'application/json' }).end('{"errors":[]}');
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(intake, {
    endpoint: `http://127.0.0.1:${port}`,
    arrived: (n: number) => (index >= n ? Promise.resolve() : new Promise<void>((resolve) => watchers.push({ n, resolve }))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

type Check = (value: unknown, at: string, errors: string[]) => void;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isInt64 = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);
const isDouble = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** An object with exactly the published fields: the required ones present, each of its type, nothing unknown. */
function object(fields: Record<string, Check>, required: string[]): Check {
  return (value, at, errors) => {
    if (!isObject(value)) return void errors.push(`${at} must be an object`);
    for (const name of required) if (!(name in value)) errors.push(`${at}.${name} is required`);
    for (const name of Object.keys(value)) {
      if (!(name in fields)) errors.push(`${at}.${name} is not a field of the schema`);
      else fields[name](value[name], `${at}.${name}`, errors);
    }
  };
}

function array(item: Check, minItems = 0): Check {
  return (value, at, errors) => {
    if (!Array.isArray(value)) return void errors.push(`${at} must be an array`);
    if (value.length < minItems) errors.push(`${at} needs at least ${minItems} item(s)`);
    value.forEach((entry, position) => item(entry, `${at}[${position}]`, errors));
  };
}

const string: Check = (value, at, errors) => void (typeof value !== 'string' && errors.push(`${at} must be a string`));
const int64: Check = (value, at, errors) => void (!isInt64(value) && errors.push(`${at} must be an int64`));
const double: Check = (value, at, errors) => void (!isDouble(value) && errors.push(`${at} must be a number`));

/** https://docs.datadoghq.com/metrics/custom_metrics/#naming-custom-metrics: a letter, then ASCII alphanumerics, `_` and `.`, at most 200. */
const metricName: Check = (value, at, errors) =>
  void ((typeof value !== 'string' || !/^[A-Za-z][A-Za-z0-9_.]{0,199}$/.test(value)) && errors.push(`${at} ${JSON.stringify(value)} is not a valid metric name`));

/** Datadog: "Timestamps … cannot be more than ten minutes in the future or more than one hour in the past". */
const timestamp: Check = (value, at, errors) => {
  if (!isInt64(value)) return void errors.push(`${at} must be an int64 of POSIX seconds`);
  const now = Date.now() / 1000;
  if (value > now + 600 || value < now - 3600) errors.push(`${at} ${value} is outside [now − 1 h, now + 10 min]`);
};

// MetricPayload → MetricSeries → MetricPoint / MetricResource (v2 OpenAPI schema).
const metricSeries: Check = (value, at, errors) => {
  object(
    {
      metric: metricName,
      type: (type, where, list) => void (![0, 1, 2, 3].includes(type as number) && list.push(`${where} must be 0, 1, 2 or 3 (MetricIntakeType)`)),
      interval: int64,
      points: array(object({ timestamp, value: double }, []), 1),
      tags: array(string),
      unit: string,
      resources: array(object({ name: string, type: string }, [])),
      source_type_name: string,
      metadata: object({ origin: object({ metric_type: int64, product: int64, service: int64 }, []) }, []),
    },
    ['metric', 'points'],
  )(value, at, errors);
  if (isObject(value) && (value.type === 1 || value.type === 2) && !(isInt64(value.interval) && value.interval > 0)) errors.push(`${at}: a count or rate needs an interval in seconds`);
};

export function checkMetricPayload(payload: unknown): string[] {
  const errors: string[] = [];
  object({ series: array(metricSeries, 1) }, ['series'])(payload, 'body', errors);
  return errors;
}

// DistributionPointsPayload → DistributionPointsSeries; a point is a [timestamp, [values]] tuple.
const distributionPoint: Check = (value, at, errors) => {
  if (!Array.isArray(value) || value.length !== 2) return void errors.push(`${at} must be a [timestamp, values] tuple`);
  if (!isDouble(value[0])) errors.push(`${at}[0] must be a timestamp in POSIX seconds`);
  else timestamp(Math.floor(value[0]), `${at}[0]`, errors);
  array(double, 1)(value[1], `${at}[1]`, errors);
};

export function checkDistributionPayload(payload: unknown): string[] {
  const errors: string[] = [];
  const series = object(
    {
      metric: metricName,
      points: array(distributionPoint, 1),
      host: string,
      tags: array(string),
      type: (type, where, list) => void (type !== 'distribution' && list.push(`${where} must be "distribution"`)),
    },
    ['metric', 'points'],
  );
  object({ series: array(series, 1) }, ['series'])(payload, 'body', errors);
  return errors;
}
