import { debugLogger } from '../internal/debug-logger';
import { errorMessage } from '../internal/error-message';
import type { Integration, IntegrationClient } from './integration';

/** Runs each integration's setup once; one that throws is reported and skipped. */
export function setUpIntegrations(client: IntegrationClient, integrations: Integration[]): void {
  for (const integration of integrations) {
    try {
      integration.setup(client);
    } catch (error) {
      debugLogger.warnOnce(`integration:${integration.name}`, process.env.NODE_ENV !== 'production' && `integration "${integration.name}" failed to set up (${errorMessage(error)}); it was skipped.`);
    }
  }
}

/** The warning a second `init` gives while a client is active. */
export function warnInitAgain(): void {
  debugLogger.warnOnce('init:again', process.env.NODE_ENV !== 'production' && 'init() was called again; the first configuration stays. Call close() first to start over.');
}
