/** The parts of a Sentry DSN isometer needs. */
export interface DsnParts {
  protocol: string;
  publicKey: string;
  host: string;
  projectId: string;
}

// protocol://publicKey[:secret]@host[:port]/[path/]projectId
const DSN_PATTERN = /^(https?):\/\/([\w.-]+)(?::\w+)?@([\w.:[\]-]+)(\/[\w./-]*)?\/(\d+)\/?$/;

/**
 * Parses a Sentry DSN, or returns undefined for anything that is not one.
 *
 * @example
 * parseDsn('https://abc@o1.ingest.sentry.io/42'); // → { protocol: 'https', publicKey: 'abc', host: 'o1.ingest.sentry.io', projectId: '42' }
 */
export function parseDsn(dsn: unknown): DsnParts | undefined {
  if (typeof dsn !== 'string' || dsn.length > 1000) return undefined;
  const match = DSN_PATTERN.exec(dsn.trim());
  if (!match) return undefined;
  return { protocol: match[1], publicKey: match[2], host: match[3], projectId: match[5] };
}
