#!/usr/bin/env node
/**
 * The `isometer` bin: `npx isometer dev` starts the local viewer and prints how to point apps at
 * it. It runs until SIGINT or SIGTERM, then closes its sockets and exits 0.
 */
import { parseDevArguments, USAGE } from './parse-dev-arguments';
import { startViewer } from './start-viewer';

async function main(): Promise<void> {
  const parsed = parseDevArguments(process.argv.slice(2));
  if (!parsed.ok) {
    console.error(`isometer: ${parsed.error}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (parsed.command === 'help') {
    console.log(USAGE);
    return;
  }
  let viewer;
  try {
    viewer = await startViewer({ port: parsed.port, host: parsed.host, statsdPort: parsed.statsdPort });
  } catch (error) {
    console.error(
      `isometer dev: cannot listen on ${parsed.host}:${parsed.port}${parsed.statsdPort === undefined ? '' : ` (StatsD ${parsed.statsdPort}/udp)`}: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exitCode = 1;
    return;
  }
  let stopping = false;
  // Before the URL is printed: whoever reads it may stop the viewer right away.
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\nisometer dev: ${signal}, stopping`);
    void viewer.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  const [scheme, address] = viewer.url.split('://');
  console.log(
    [
      `isometer dev: metrics and traces on ${viewer.url}`,
      '',
      'Point apps at it:',
      `  OTEL_EXPORTER_OTLP_ENDPOINT=${viewer.url}`,
      `  SENTRY_DSN=${scheme}://dev@${address}/0`,
      ...(viewer.statsdPort === undefined ? [] : [`  STATSD_HOST=${parsed.host} STATSD_PORT=${viewer.statsdPort}`]),
      '',
      'Ctrl+C stops it.',
    ].join('\n'),
  );
}

void main();
