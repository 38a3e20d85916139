import { getCarrierClient } from '../carrier';
import type { Client } from './client';

/**
 * The active client, or undefined before `init` and after `close()`.
 *
 * @example
 * getClient()?.getDroppedCounts(); // → { invalid_value: 2 }
 */
export function getClient(): Client | undefined {
  // Only `initWithRuntime` puts a client on the carrier, and it always puts a `Client`.
  return getCarrierClient() as Client | undefined;
}
