/**
 * A loopback OTLP/HTTP receiver for the flush bench, run as a child process so its decoding costs
 * the measured process nothing. It decodes every `/v1/metrics` body (protobuf with the generated
 * definitions of the published .proto files, JSON through the same definitions) and, when asked
 * over IPC, reports the data points and body bytes received since the last report.
 */
import { createRequire } from 'node:module';
import * as http from 'node:http';

const require = createRequire(import.meta.url);
const root = require('otlp-proto-definitions/build/src/generated/root.js');
const Request = root.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;

let points = 0;
let bytes = 0;
let requests = 0;
let errors = 0;

function count(message) {
  for (const resourceMetrics of message.resourceMetrics ?? [])
    for (const scopeMetrics of resourceMetrics.scopeMetrics ?? [])
      for (const metric of scopeMetrics.metrics ?? []) {
        const data = metric.sum ?? metric.gauge ?? metric.exponentialHistogram ?? metric.histogram;
        points += data?.dataPoints?.length ?? 0;
      }
}

const server = http.createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks);
    requests++;
    bytes += body.length;
    try {
      const json = String(request.headers['content-type']).includes('json');
      count(json ? Request.fromObject(JSON.parse(body.toString('utf8'))) : Request.decode(body));
    } catch {
      errors++;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});

server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', (message) => {
  if (message === 'report') {
    process.send({ points, bytes, requests, errors });
    points = bytes = requests = errors = 0;
  } else if (message === 'stop') {
    server.close();
    process.disconnect();
  }
});
