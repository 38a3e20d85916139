import { createRequire } from 'node:module';
import type { Exporter } from '../core/export/exporter';
import { debugLogger } from '../core/internal/debug-logger';
import { detectSentryClient } from '../core/sentry/detect-sentry';
import { createSentryExporter, type SentryExporterOptions, type SentryModuleLike } from '../core/sentry/sentry-exporter';

/**
 * Node's Sentry glue. `@sentry/node` is an optional peer dependency: loaded only when Sentry is
 * wanted (`dsn`, `SENTRY_DSN`, or a Sentry client the app initialised), and when it is not
 * installed, one warning says what to install while every other exporter keeps working.
 */

const MISSING = 'Sentry was asked for (dsn or SENTRY_DSN) but @sentry/node is not installed: npm install @sentry/node. Metrics still go to the other exporters.';

let required: SentryModuleLike | undefined;

/**
 * `@sentry/node` loaded synchronously, as an app's own `import * as Sentry` would be: Sentry is
 * then set up inside `init`, and the span started on the next line is already Sentry's. Resolved
 * from this module's location (the CJS build has `__filename`, the ESM build `import.meta.url`),
 * then from the working directory. Undefined when not found that way (not installed, or bundled
 * into an app where only `import()` can reach it).
 */
export function requireSentryNode(): SentryModuleLike | undefined {
  if (required !== undefined) return required;
  for (const base of requireBases()) {
    try {
      required = createRequire(base)('@sentry/node') as SentryModuleLike;
      return required;
    } catch {
      // Not resolvable from here: the next base, or the asynchronous import.
    }
  }
  return undefined;
}

function requireBases(): string[] {
  const bases: string[] = [];
  if (typeof __filename === 'string') bases.push(__filename);
  else {
    try {
      bases.push(import.meta.url);
    } catch {
      // Neither CommonJS nor an ES module with a URL: the working directory only.
    }
  }
  if (typeof process === 'object' && typeof process.cwd === 'function') bases.push(`${process.cwd()}/`);
  return bases;
}

/**
 * `@sentry/node`: synchronously when it can be required, else through `import()` (which a
 * bundler that took `@sentry/node` into the bundle can follow); undefined, warned once, when it is
 * not installed.
 */
export function loadSentryNode(): SentryModuleLike | undefined | Promise<SentryModuleLike | undefined> {
  const module = requireSentryNode();
  if (module !== undefined) return module;
  return import('@sentry/node').then(
    (imported) => imported as unknown as SentryModuleLike,
    () => {
      debugLogger.warnOnce('sentry:node-missing', MISSING);
      return undefined;
    },
  );
}

/**
 * Sends metrics to Sentry as `trace_metric` items through the process's Sentry client. `init({ dsn })`
 * (or `SENTRY_DSN`) adds it for you.
 *
 * @example
 * init({ exporters: [sentryExporter()] }); // after Sentry.init({ dsn })
 */
export function sentryExporter(options?: SentryExporterOptions): Exporter {
  return createSentryExporter(() => Promise.resolve(loadSentryNode()), options);
}

/**
 * True when a Sentry SDK has been initialised in this process and not closed. Sentry then owns
 * spans and trace-header injection, so isometer adds no headers of its own (headers are never
 * injected twice). Never throws.
 *
 * @example
 * if (!isSentryActive()) request.setHeader('sentry-trace', getTraceHeaders()['sentry-trace']);
 */
export function isSentryActive(): boolean {
  return detectSentryClient() !== undefined;
}
