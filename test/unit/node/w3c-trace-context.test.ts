import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, init } from '../../../src/node/index';

// The behaviours the W3C Trace Context validation suite (Level 1 and 2, strictness 2) checks,
// pinned as this project's own cases: a service on isometer's node entry receives the headers
// and calls back, and what it propagates is inspected. The header strings and expected results
// are the specification's facts; the code is ours.

// Taken before init patches anything: the test's requests reach the service exactly as written.
const plainRequest = http.request;

const TRACE_ID = '12345678901234567890123456789012';
const PARENT_ID = '1234567890123456';
const TP = `00-${TRACE_ID}-${PARENT_ID}-00`;
const TRACEPARENT_FORMAT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

interface Propagated {
  traceId: string;
  parentId: string;
  flags: number;
  /** tracestate as the suite reads it: the first value of each key, in order. */
  tracestate: Map<string, string>;
  tracestateText: string;
}

let service: http.Server;
let receiver: http.Server;
let serviceUrl: string;
let receiverUrl: string;
const callbacks = new Map<string, Array<[string, string]>>();

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  init({ tracesSampleRate: 1, propagateTraceparent: true, flushIntervalMs: 0 });
  // The service: for each callback asked for, one outgoing request (as the suite's service does).
  service = http.createServer((request, response) => {
    const ids = new URL(request.url ?? '/', 'http://x').searchParams.getAll('callback');
    void (async () => {
      for (const id of ids) await (await fetch(`${receiverUrl}/${id}`, { method: 'POST' })).text();
      response.end('ok');
    })().catch((error: unknown) => response.end(String(error)));
  });
  receiver = http.createServer((request, response) => {
    const pairs: Array<[string, string]> = [];
    for (let index = 0; index < request.rawHeaders.length; index += 2) pairs.push([request.rawHeaders[index], request.rawHeaders[index + 1]]);
    callbacks.set(request.url!.slice(1), pairs);
    response.end('ok');
  });
  serviceUrl = await listen(service);
  receiverUrl = await listen(receiver);
});

afterAll(async () => {
  await close();
  for (const server of [service, receiver]) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

let nextId = 0;

/** Sends `headers` (repeats and casing kept) to the service, which calls back `count` times. */
async function propagate(headers: Array<[string, string]>, count = 1): Promise<Propagated[]> {
  const ids = Array.from({ length: count }, () => String(nextId++));
  const query = ids.map((id) => `callback=${id}`).join('&');
  // A raw header list keeps repeats and casing; Node then adds no Host or length of its own.
  await new Promise<void>((resolve, reject) => {
    const request = plainRequest(`${serviceUrl}/test?${query}`, { method: 'POST', headers: ['host', new URL(serviceUrl).host, 'content-length', '0', ...headers.flat()] }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => (body === 'ok' ? resolve() : reject(new Error(`the service answered ${body}`))));
    });
    request.on('error', reject);
    request.end();
  });
  return ids.map((id) => {
    const pairs = callbacks.get(id)!;
    const traceparents = pairs.filter(([name]) => name.toLowerCase() === 'traceparent');
    expect(traceparents).toHaveLength(1);
    const match = TRACEPARENT_FORMAT.exec(traceparents[0][1])!;
    expect(match).not.toBeNull();
    const tracestate = new Map<string, string>();
    const texts: string[] = [];
    for (const [name, value] of pairs) {
      if (name.toLowerCase() !== 'tracestate') continue;
      texts.push(value);
      for (const member of value.split(/[ \t]*,[ \t]*/)) {
        if (member === '') continue;
        const equals = member.indexOf('=');
        if (!tracestate.has(member.slice(0, equals))) tracestate.set(member.slice(0, equals), member.slice(equals + 1));
      }
    }
    return { traceId: match[2], parentId: match[3], flags: parseInt(match[4], 16), tracestate, tracestateText: texts.join(',') };
  });
}

async function one(headers: Array<[string, string]>): Promise<Propagated> {
  return (await propagate(headers))[0];
}

describe('W3C Trace Context: traceparent', () => {
  it('starts a trace when neither header came', async () => {
    expect((await one([])).traceId).not.toBe(TRACE_ID);
  });

  it('continues the trace id with a new parent id when only traceparent came', async () => {
    const out = await one([['traceparent', `00-${TRACE_ID}-${PARENT_ID}-01`]]);
    expect(out.traceId).toBe(TRACE_ID);
    expect(out.parentId).not.toBe(PARENT_ID);
  });

  it('restarts on two traceparent headers', async () => {
    const out = await one([
      ['traceparent', `00-12345678901234567890123456789011-${PARENT_ID}-01`],
      ['traceparent', `00-${TRACE_ID}-${PARENT_ID}-01`],
    ]);
    expect([TRACE_ID, '12345678901234567890123456789011']).not.toContain(out.traceId);
  });

  it.each(['trace-parent', 'trace.parent'])('ignores a header named %s', async (name) => {
    expect((await one([[name, `00-${TRACE_ID}-${PARENT_ID}-01`]])).traceId).not.toBe(TRACE_ID);
  });

  it.each(['TraceParent', 'TrAcEpArEnT', 'TRACEPARENT'])('reads the header name in any case (%s)', async (name) => {
    expect((await one([[name, `00-${TRACE_ID}-${PARENT_ID}-01`]])).traceId).toBe(TRACE_ID);
  });

  it.each([
    `cc-${TRACE_ID}-${PARENT_ID}-01`,
    `cc-${TRACE_ID}-${PARENT_ID}-01-what-the-future-will-be-like`,
    ` 00-${TRACE_ID}-${PARENT_ID}-01`,
    `\t00-${TRACE_ID}-${PARENT_ID}-01`,
    `00-${TRACE_ID}-${PARENT_ID}-01 `,
    `00-${TRACE_ID}-${PARENT_ID}-01\t`,
    `\t 00-${TRACE_ID}-${PARENT_ID}-01 \t`,
  ])('continues a valid traceparent: %j', async (value) => {
    expect((await one([['traceparent', value]])).traceId).toBe(TRACE_ID);
  });

  it.each([
    ['version 00 with trailing data', `00-${TRACE_ID}-${PARENT_ID}-01.`],
    ['version 00 with a future field', `00-${TRACE_ID}-${PARENT_ID}-01-what-the-future-will-be-like`],
    ['a higher version not followed by a dash', `cc-${TRACE_ID}-${PARENT_ID}-01.what-the-future-will-be-like`],
    ['version ff', `ff-${TRACE_ID}-${PARENT_ID}-01`],
    ['an illegal version character first', `.0-${TRACE_ID}-${PARENT_ID}-01`],
    ['an illegal version character second', `0.-${TRACE_ID}-${PARENT_ID}-01`],
    ['a 3-character version', `000-${TRACE_ID}-${PARENT_ID}-01`],
    ['a 4-character version', `0000-${TRACE_ID}-${PARENT_ID}-01`],
    ['a 1-character version', `0-${TRACE_ID}-${PARENT_ID}-01`],
    ['an all-zero parent id', `00-${TRACE_ID}-0000000000000000-01`],
    ['an illegal parent id character first', `00-${TRACE_ID}-.234567890123456-01`],
    ['an illegal parent id character last', `00-${TRACE_ID}-123456789012345.-01`],
    ['a 17-character parent id', `00-${TRACE_ID}-12345678901234567-01`],
    ['a 15-character parent id', `00-${TRACE_ID}-123456789012345-01`],
    ['an illegal flags character first', `00-${TRACE_ID}-${PARENT_ID}-.0`],
    ['an illegal flags character last', `00-${TRACE_ID}-${PARENT_ID}-0.`],
    ['3-character flags', `00-${TRACE_ID}-${PARENT_ID}-001`],
    ['1-character flags', `00-${TRACE_ID}-${PARENT_ID}-1`],
  ])('restarts on %s', async (_case, value) => {
    expect((await one([['traceparent', value]])).traceId).not.toBe(TRACE_ID);
  });

  it.each([
    ['an all-zero trace id', `00-00000000000000000000000000000000-${PARENT_ID}-01`, '00000000000000000000000000000000'],
    ['an illegal trace id character first', `00-.2345678901234567890123456789012-${PARENT_ID}-01`, '.2345678901234567890123456789012'],
    ['an illegal trace id character last', `00-1234567890123456789012345678901.-${PARENT_ID}-01`, '1234567890123456789012345678901.'],
    ['a 31-character trace id', `00-1234567890123456789012345678901-${PARENT_ID}-01`, '1234567890123456789012345678901'],
  ])('does not take the trace id of %s', async (_case, value, rejected) => {
    expect((await one([['traceparent', value]])).traceId).not.toBe(rejected);
  });

  it('takes no part of a 33-character trace id', async () => {
    const out = await one([['traceparent', `00-123456789012345678901234567890123-${PARENT_ID}-01`]]);
    expect(['12345678901234567890123456789012', '23456789012345678901234567890123']).not.toContain(out.traceId);
  });

  it('keeps the trace id and gives each of several outgoing calls its own parent id', async () => {
    const out = await propagate([['traceparent', `00-${TRACE_ID}-${PARENT_ID}-01`]], 3);
    expect(new Set(out.map((each) => each.traceId))).toEqual(new Set([TRACE_ID]));
    expect(new Set(out.map((each) => each.parentId)).size).toBe(3);
  });

  it('gives each outgoing call its own parent id in a new trace too, valid or invalid traceparent', async () => {
    expect(new Set((await propagate([], 3)).map((each) => each.parentId)).size).toBe(3);
    const restarted = await propagate([['traceparent', `00-00000000000000000000000000000000-${PARENT_ID}-01`]], 3);
    expect(restarted.map((each) => each.traceId)).not.toContain('00000000000000000000000000000000');
    expect(new Set(restarted.map((each) => each.parentId)).size).toBe(3);
  });

  it('Level 2: passes the random-trace-id flag on', async () => {
    const out = await one([['traceparent', `00-${TRACE_ID}-${PARENT_ID}-02`]]);
    expect(out.traceId).toBe(TRACE_ID);
    expect(out.parentId).not.toBe(PARENT_ID);
    expect(out.flags & 0x02).toBe(0x02);
  });
});

describe('W3C Trace Context: tracestate', () => {
  it('discards a tracestate that came without traceparent', async () => {
    const first = await one([['tracestate', 'foo=1']]);
    const second = await one([['tracestate', 'foo=1,bar=2']]);
    expect(first.tracestate.has('foo')).toBe(false);
    expect(second.tracestate.size).toBe(first.tracestate.size);
  });

  it('passes a tracestate on with its traceparent', async () => {
    const out = await one([
      ['traceparent', TP],
      ['tracestate', 'foo=1,bar=2'],
    ]);
    expect(out.traceId).toBe(TRACE_ID);
    expect([out.tracestate.get('foo'), out.tracestate.get('bar')]).toEqual(['1', '2']);
  });

  it.each(['trace-state', 'trace.state'])('ignores a header named %s', async (name) => {
    const out = await one([
      ['traceparent', TP],
      [name, 'foo=1'],
    ]);
    expect(out.tracestate.has('foo')).toBe(false);
  });

  it.each(['TraceState', 'TrAcEsTaTe', 'TRACESTATE'])('reads the header name in any case (%s)', async (name) => {
    const out = await one([
      ['traceparent', TP],
      [name, 'foo=1'],
    ]);
    expect(out.tracestate.get('foo')).toBe('1');
  });

  it('accepts empty tracestate headers, alone or beside others', async () => {
    const alone = await one([
      ['traceparent', TP],
      ['tracestate', ''],
    ]);
    expect(alone.traceId).toBe(TRACE_ID);
    expect(alone.tracestateText).not.toMatch(/(^|,)\s*(,|$)/);
    for (const order of [
      ['foo=1', ''],
      ['', 'foo=1'],
    ]) {
      const out = await one([['traceparent', TP], ...order.map((value): [string, string] => ['tracestate', value])]);
      expect(out.traceId).toBe(TRACE_ID);
      expect(out.tracestate.get('foo')).toBe('1');
    }
  });

  it('combines several tracestate headers in order', async () => {
    const out = await one([
      ['traceparent', TP],
      ['tracestate', 'foo=1,bar=2'],
      ['tracestate', 'rojo=1,congo=2'],
      ['tracestate', 'baz=3'],
    ]);
    const text = out.tracestateText;
    const positions = ['foo=1', 'bar=2', 'rojo=1', 'congo=2', 'baz=3'].map((member) => text.indexOf(member));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it.each([
    [['foo=1,foo=1'], ['1']],
    [['foo=1,foo=2'], ['1', '2']],
    [['foo=1', 'foo=1'], ['1']],
    [
      ['foo=1', 'foo=2'],
      ['1', '2'],
    ],
  ])('keeps the trace and one of the values of a duplicated key (%j)', async (values, allowed) => {
    const out = await one([['traceparent', TP], ...values.map((value): [string, string] => ['tracestate', value])]);
    expect(out.traceId).toBe(TRACE_ID);
    expect(allowed).toContain(out.tracestate.get('foo'));
  });

  it('passes every character the key and value grammars allow', async () => {
    const key = 'abcdefghijklmnopqrstuvwxyz0123456789_-*/';
    let value = '';
    for (let code = 0x20; code <= 0x7e; code++) if (code !== 0x2c && code !== 0x3d) value += String.fromCharCode(code);
    for (const each of [key, `${key}@a-z0-9_-*/`]) {
      const out = await one([
        ['traceparent', TP],
        ['tracestate', `${each}=${value}`],
      ]);
      expect(out.tracestate.get(each)).toBe(value);
    }
  });

  it.each(['foo=1 \t , \t bar=2, \t baz=3', 'foo=1\t \t,\t \tbar=2,\t \tbaz=3', ' foo=1', '\tfoo=1', 'foo=1 ', 'foo=1\t', '\t foo=1 \t'])('ignores optional whitespace: %j', async (value) => {
    const out = await one([
      ['traceparent', TP],
      ['tracestate', value],
    ]);
    expect(out.traceId).toBe(TRACE_ID);
    expect(out.tracestate.get('foo')).toBe('1');
    if (value.includes('baz')) expect([out.tracestate.get('bar'), out.tracestate.get('baz')]).toEqual(['2', '3']);
  });

  it.each([
    ['foo =1', 'foo '],
    ['FOO=1', 'FOO'],
    ['foo.bar=1', 'foo.bar'],
  ])('does not pass an illegal key on: %j', async (value, key) => {
    const out = await one([
      ['traceparent', TP],
      ['tracestate', value],
    ]);
    expect(out.tracestate.has(key)).toBe(false);
  });

  it.each(['foo@', 'foo@@bar', 'foo@bar@baz'])('Level 2: passes the key %s on beside the others', async (key) => {
    const out = await one([
      ['traceparent', TP],
      ['tracestate', `${key}=1,bar=2`],
    ]);
    expect([out.tracestate.get(key), out.tracestate.get('bar')]).toEqual(['1', '2']);
  });

  it('drops a tracestate holding a key that starts with an at sign', async () => {
    const out = await one([
      ['traceparent', TP],
      ['tracestate', '@foo=1,bar=2'],
    ]);
    expect(out.tracestate.has('bar')).toBe(false);
  });

  it('passes 32 list-members on and drops a tracestate of 33', async () => {
    const lines = [0, 10, 20, 30].map((start) =>
      Array.from({ length: start === 30 ? 2 : 10 }, (_, index) => {
        const number = String(start + index + 1).padStart(2, '0');
        return `bar${number}=${number}`;
      }).join(','),
    );
    const full = await one([['traceparent', TP], ...lines.map((line): [string, string] => ['tracestate', line])]);
    expect(full.tracestate.get('bar01')).toBe('01');
    expect(full.tracestate.size).toBe(32);
    const over = await one([['traceparent', TP], ...lines.slice(0, 3).map((line): [string, string] => ['tracestate', line]), ['tracestate', 'bar31=31,bar32=32,bar33=33']]);
    expect(over.tracestate.has('bar01')).toBe(false);
  });

  it.each([
    ['a 256-character key', 'z'.repeat(256)],
    ['a 241-character tenant and 14-character system part', `${'t'.repeat(241)}@${'v'.repeat(14)}`],
    ['a 242-character tenant part', `${'t'.repeat(242)}@v`],
    ['a 15-character system part', `t@${'v'.repeat(15)}`],
  ])('Level 2: passes %s on beside the others', async (_case, key) => {
    const out = await one([
      ['traceparent', TP],
      ['tracestate', 'foo=1'],
      ['tracestate', `${key}=1`],
    ]);
    expect([out.tracestate.get('foo'), out.tracestate.get(key)]).toEqual(['1', '1']);
  });

  it('drops a tracestate holding a 257-character key', async () => {
    const out = await one([
      ['traceparent', TP],
      ['tracestate', 'foo=1'],
      ['tracestate', `${'z'.repeat(257)}=1`],
    ]);
    expect(out.tracestate.has('foo')).toBe(false);
  });

  it.each([
    ['foo=bar=baz', ['foo']],
    ['foo=,bar=3', ['foo', 'bar']],
  ])('drops a tracestate with an illegal value: %j', async (value, absent) => {
    const out = await one([
      ['traceparent', TP],
      ['tracestate', value],
    ]);
    for (const key of absent) expect(out.tracestate.has(key)).toBe(false);
  });
});
