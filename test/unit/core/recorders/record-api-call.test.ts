import { describe, it, expect } from 'vitest';
import { getDroppedCounts, type CounterPoint, type DistributionPoint } from '../../../../src/core/index';
import { recordApiCall } from '../../../../src/core/index';
import { useRecorderClient } from './recorder-test-support';

const client = useRecorderClient();

describe('recordApiCall', () => {
  it('records the duration in milliseconds and a count with service, endpoint, method, status_code and success', async () => {
    recordApiCall({ service: 'stripe', endpoint: '/v1/charges', method: 'post', statusCode: 200, durationMs: 84 });
    recordApiCall({ service: 'stripe', endpoint: '/v1/charges', method: 'post', statusCode: 200, durationMs: 16 });
    await client.flush();
    const attributes = { endpoint: '/v1/charges', method: 'POST', service: 'stripe', status_code: 200, success: true };
    const [duration] = client.memory().find('api.call.duration') as DistributionPoint[];
    expect(duration).toMatchObject({ type: 'distribution', unit: 'millisecond', attributes, count: 2, sum: 100, min: 16, max: 84 });
    const [count] = client.memory().find('api.call.count') as CounterPoint[];
    expect(count).toMatchObject({ type: 'counter', attributes, sum: 2 });
    expect(client.memory().find('api.failures')).toEqual([]);
    expect(client.memory().find('api.rate_limited')).toEqual([]);
  });

  it('counts a status of 400 or more as a failure with error_type http_<status>', async () => {
    recordApiCall({ service: 'users', endpoint: '/users/:id', method: 'GET', statusCode: 503, durationMs: 12 });
    await client.flush();
    expect(client.memory().total('api.call.count', { success: false, status_code: 503 })).toBe(1);
    const [failure] = client.memory().find('api.failures') as CounterPoint[];
    expect(failure.attributes).toEqual({ endpoint: '/users/:id', error_type: 'http_503', method: 'GET', service: 'users', status_code: 503 });
    expect(failure.sum).toBe(1);
  });

  it('counts a 429 in api.rate_limited as well as in api.failures', async () => {
    recordApiCall({ service: 'github', endpoint: '/search', method: 'GET', statusCode: 429, durationMs: 3 });
    recordApiCall({ service: 'github', endpoint: '/search', method: 'GET', statusCode: 200, durationMs: 3 });
    await client.flush();
    const [limited] = client.memory().find('api.rate_limited') as CounterPoint[];
    expect(limited.attributes).toEqual({ endpoint: '/search', method: 'GET', service: 'github' });
    expect(limited.sum).toBe(1);
    expect(client.memory().total('api.failures', { error_type: 'http_429' })).toBe(1);
  });

  it('takes an explicit success and errorType over what the status code implies', async () => {
    recordApiCall({ service: 'search', endpoint: '/q', method: 'GET', statusCode: 200, durationMs: 5, success: false, errorType: 'EmptyResult' });
    recordApiCall({ service: 'search', endpoint: '/q', method: 'GET', statusCode: 404, durationMs: 5, success: true });
    await client.flush();
    expect(client.memory().total('api.failures', { error_type: 'EmptyResult', status_code: 200 })).toBe(1);
    expect(client.memory().total('api.failures', { status_code: 404 })).toBe(0);
    expect(client.memory().total('api.call.count', { status_code: 404, success: true })).toBe(1);
  });

  it('records a call without a status code or a duration with "unknown" labels and no duration point', async () => {
    recordApiCall({ service: 'ledger' } as never);
    await client.flush();
    expect(client.memory().find('api.call.duration')).toEqual([]);
    const [count] = client.memory().find('api.call.count') as CounterPoint[];
    expect(count.attributes).toEqual({ endpoint: 'unknown', method: 'unknown', service: 'ledger', success: true });
  });

  it('warns once and records nothing when info is not an object', async () => {
    expect(() => recordApiCall(undefined as never)).not.toThrow();
    expect(() => recordApiCall('GET /users' as never)).not.toThrow();
    await client.flush();
    expect(client.memory().points()).toEqual([]);
    expect(client.warnings().filter((line) => line.startsWith('recordApiCall(info)'))).toHaveLength(1);
  });

  it('drops a non-finite duration (counted as invalid_value) but still counts the call', async () => {
    recordApiCall({ service: 'stripe', endpoint: '/v1/charges', method: 'POST', statusCode: 200, durationMs: Number.NaN });
    await client.flush();
    expect(client.memory().find('api.call.duration')).toEqual([]);
    expect(client.memory().total('api.call.count')).toBe(1);
    expect(getDroppedCounts().invalid_value).toBe(1);
  });
});
