/** OpenTelemetry in the page: the metrics SDK with its OTLP/HTTP exporter to the bench server. */
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { SERIES, attributesOf } from './series.mjs';

const reader = new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: `${location.origin}/opentelemetry/v1/metrics` }), exportIntervalMillis: 60_000 });
const counter = new MeterProvider({ readers: [reader] }).getMeter('bench').createCounter('bench.requests');

window.benchRun = async () => {
  for (let i = 0; i < SERIES; i++) counter.add(1, attributesOf(i));
  await reader.forceFlush();
};
