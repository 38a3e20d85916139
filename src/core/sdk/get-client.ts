import { getCarrierClient } from '../carrier';
import type { Client } from './client';

/**
 * The active client, or undefined before `init`, after `close()`, and in a page until isometer's
 * engine chunk has loaded (moments after `init`; what is recorded meanwhile is kept for it).
 *
 * @example
 * getClient()?.getDroppedCounts(); // → { invalid_value: 2 }
 */
export function getClient(): Client | undefined {
  // The carrier holds a `Client`, or (in a page whose engine chunk is still loading) the page's
  // front, which has no aggregator yet: that is not a client to hand out.
  const client = getCarrierClient() as Partial<Client> | undefined;
  return client !== undefined && typeof client.hasPendingData === 'function' ? (client as Client) : undefined;
}
