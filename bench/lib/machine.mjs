/** What the figures were measured on: printed first, so a pasted result carries its context. */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';

const PACKAGES = ['@sentry/core', '@opentelemetry/sdk-metrics', 'prom-client', 'hot-shots'];

function versionOf(name) {
  try {
    return JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;
  } catch {
    return '?';
  }
}

export function describeMachine() {
  const cpus = os.cpus();
  const model = cpus[0]?.model?.trim() ?? 'unknown CPU';
  const isometerVersion = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
  return [
    `date      ${new Date().toISOString()}`,
    `machine   ${model}, ${cpus.length} cores (os.cpus), ${os.platform()} ${os.arch()} ${os.release()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    `load      ${os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(' / ')} (1 / 5 / 15 min) on ${cpus.length} cores (a load above the core count means other processes shared the CPU and inflated the figures)`,
    `node      ${process.version} (V8 ${process.versions.v8})`,
    `packages  isometer ${isometerVersion} (dist/), ${PACKAGES.map((name) => `${name} ${versionOf(name)}`).join(', ')}`,
  ].join('\n');
}
