import { describe, it, expect } from 'vitest';
import type { CounterPoint, DistributionPoint } from '../../../../src/core/index';
import { trackApiCall } from '../../../../src/core/index';
import { installFakeClock, useRecorderClient } from './recorder-test-support';

const client = useRecorderClient();

class TimeoutError extends Error {
  override name = 'TimeoutError';
}

describe('trackApiCall', () => {
  it('returns what an async call resolves to, reads its status, and records it in an http.client span', async () => {
    const clock = installFakeClock();
    const response = { status: 201, body: 'created' };
    const result = await trackApiCall({ service: 'users', endpoint: '/users', method: 'post' }, async () => {
      await Promise.resolve();
      clock.advance(40);
      return response;
    });
    expect(result).toBe(response);
    await client.flush();
    const [duration] = client.memory().find('api.call.duration') as DistributionPoint[];
    expect(duration).toMatchObject({ attributes: { endpoint: '/users', method: 'POST', service: 'users', status_code: 201, success: true }, count: 1, sum: 40 });
    const [span] = client.memory().spans;
    expect(span).toMatchObject({ name: 'POST /users', op: 'http.client', status: 'unset' });
    expect(span.attributes).toMatchObject({ service: 'users', endpoint: '/users', 'http.request.method': 'POST', 'http.response.status_code': 201 });
    expect(span.endTimeMs - span.startTimeMs).toBe(40);
    // The points link to the call's span.
    expect(duration.exemplars[0]).toMatchObject({ spanId: span.spanId, traceId: span.traceId, value: 40 });
  });

  it('rethrows a rejection unchanged and records a failure with the error name as error_type', async () => {
    const error = new TimeoutError('upstream took too long');
    const call = trackApiCall({ service: 'billing', endpoint: '/invoices/:id', method: 'GET' }, () => Promise.reject(error));
    await expect(call).rejects.toBe(error);
    await client.flush();
    const [failure] = client.memory().find('api.failures') as CounterPoint[];
    expect(failure.attributes).toEqual({ endpoint: '/invoices/:id', error_type: 'TimeoutError', method: 'GET', service: 'billing' });
    expect(client.memory().total('api.call.count', { success: false })).toBe(1);
    expect(client.memory().spans[0]).toMatchObject({ status: 'error', statusMessage: 'upstream took too long' });
  });

  it('rethrows a synchronous throw unchanged and takes the status code from the error response', async () => {
    const error = Object.assign(new Error('Request failed with status code 429'), { name: 'AxiosError', response: { status: 429 } });
    expect(() =>
      trackApiCall({ service: 'github', endpoint: '/search', method: 'GET' }, () => {
        throw error;
      }),
    ).toThrow(error);
    await client.flush();
    expect(client.memory().total('api.failures', { error_type: 'AxiosError', status_code: 429 })).toBe(1);
    expect(client.memory().total('api.rate_limited', { service: 'github' })).toBe(1);
  });

  it('passes a synchronous result through and takes a status set through the scope', async () => {
    const result = trackApiCall({ service: 'users', endpoint: '/users/:id', method: 'GET' }, (scope) => {
      scope.set({ statusCode: 404 });
      return 'not found';
    });
    expect(result).toBe('not found');
    await client.flush();
    expect(client.memory().total('api.failures', { error_type: 'http_404', status_code: 404 })).toBe(1);
    expect(client.memory().spans[0]).toMatchObject({ status: 'error', statusMessage: 'http_404' });
  });

  it('runs nothing, records nothing and warns once when fn is not a function', async () => {
    expect(trackApiCall({ service: 'x', endpoint: '/' }, undefined as never)).toBeUndefined();
    await client.flush();
    expect(client.memory().points()).toEqual([]);
    expect(client.warnings()).toContain('trackApiCall(info, fn): fn must be a function; nothing was run or recorded.');
  });
});
