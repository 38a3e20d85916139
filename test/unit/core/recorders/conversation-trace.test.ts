import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import { close, consoleExporter, flush, initWithRuntime, memoryExporter, startSpan, type Exporter, type MemoryExporter, type SpanData } from '../../../../src/core/index';
import { debugLogger } from '../../../../src/core/internal/debug-logger';
import { processorMetrics } from '../../../../src/core/index';
import { createAsyncContextManager } from '../../../../src/node/async-context-manager';
import { otlpExporter } from '../../../../src/otlp/index';
import type { OtlpTraceRequest } from '../../../../src/core/export/otlp/otlp-json';
import { installFakeClock, type FakeClock } from './recorder-test-support';

/**
 * A voice agent's trace: conversation → turn → speech-to-text, LLM and text-to-speech calls, each
 * with its TTFB (processorMetrics) and usage attributes; the LLM also with its processing time and
 * only its first TTFB per turn. Exported through the memory, console and OTLP exporters.
 */

interface Turn {
  user: string;
  reply: string;
  inputTokens: number;
  outputTokens: number;
}

const TURNS: Turn[] = [
  { user: 'What is the weather in Lisbon?', reply: 'Sunny, 24 degrees.', inputTokens: 412, outputTokens: 9 },
  { user: 'And tomorrow?', reply: 'Cloudy, 19 degrees.', inputTokens: 431, outputTokens: 8 },
];

/** Work that takes `ms` on the fake clock, across an `await` (so async context must carry the spans). */
async function work(clock: FakeClock, ms: number): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  clock.advance(ms);
}

async function runConversation(clock: FakeClock): Promise<void> {
  const stt = processorMetrics('deepgram-stt');
  const llm = processorMetrics('openai-llm', { reportOnlyFirstTtfb: true });
  const tts = processorMetrics('cartesia-tts');
  await startSpan({ name: 'conversation', op: 'conversation', attributes: { 'conversation.id': 'c-42' } }, async () => {
    for (const [index, turn] of TURNS.entries()) {
      llm.newTurn();
      await startSpan({ name: `turn ${index + 1}`, op: 'turn', attributes: { 'turn.index': index + 1 } }, async () => {
        await startSpan({ name: 'speech-to-text', op: 'stt' }, async (span) => {
          stt.startTtfb();
          await work(clock, 120);
          stt.stopTtfb();
          await work(clock, 60);
          span.setAttribute('usage.characters', turn.user.length);
        });
        await startSpan({ name: 'llm', op: 'llm' }, async (span) => {
          llm.startTtfb();
          llm.startProcessing();
          await work(clock, 300);
          llm.stopTtfb();
          // A later chunk's first byte: not reported, only the turn's first TTFB is.
          llm.startTtfb();
          await work(clock, 50);
          llm.stopTtfb();
          await work(clock, 550);
          llm.stopProcessing();
          span.setAttributes({ 'gen_ai.usage.input_tokens': turn.inputTokens, 'gen_ai.usage.output_tokens': turn.outputTokens });
        });
        await startSpan({ name: 'text-to-speech', op: 'tts' }, async (span) => {
          tts.startTtfb();
          await work(clock, 150);
          tts.stopTtfb();
          await work(clock, 250);
          span.setAttribute('usage.characters', turn.reply.length);
        });
      });
    }
  });
}

function only(spans: SpanData[], predicate: (span: SpanData) => boolean): SpanData {
  const found = spans.filter(predicate);
  expect(found).toHaveLength(1);
  return found[0];
}

let memory: MemoryExporter;
let lines: string[];

/** A Node-like client: async context, every trace sampled, memory + console exporters (+ `extra`). */
function start(extra: Exporter[] = []): void {
  initWithRuntime({ flushIntervalMs: 0, tracesSampleRate: 1, exporters: [memory, consoleExporter({ write: (line) => lines.push(line) }), ...extra] }, { contextManager: createAsyncContextManager() });
}

beforeEach(() => {
  debugLogger.resetWarnings();
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  memory = memoryExporter();
  lines = [];
});

afterEach(async () => {
  await close();
  vi.restoreAllMocks();
});

describe('a conversation → turn → service-call trace', () => {
  it('links every span to its parent: turns under the conversation, services under turns, TTFB and processing under services', async () => {
    start();
    const clock = installFakeClock();
    await runConversation(clock);
    clock.restore();
    await flush();
    const spans = memory.spans;
    expect(spans).toHaveLength(1 + 2 * (1 + 3 + 4));
    const conversation = only(spans, (span) => span.op === 'conversation');
    expect(conversation.parentSpanId).toBeUndefined();
    expect(new Set(spans.map((span) => span.traceId))).toEqual(new Set([conversation.traceId]));
    expect(new Set(spans.map((span) => span.spanId)).size).toBe(spans.length);
    for (const [index, turnInput] of TURNS.entries()) {
      const turn = only(spans, (span) => span.name === `turn ${index + 1}`);
      expect(turn.parentSpanId).toBe(conversation.spanId);
      const children = (parent: SpanData) => spans.filter((span) => span.parentSpanId === parent.spanId);
      expect(children(turn).map((span) => span.op)).toEqual(['stt', 'llm', 'tts']);
      const [stt, llm, tts] = children(turn);
      expect(children(stt).map((span) => [span.op, span.name])).toEqual([['ttfb', 'deepgram-stt']]);
      expect(children(llm).map((span) => [span.op, span.name])).toEqual([
        ['ttfb', 'openai-llm'],
        ['processing', 'openai-llm'],
      ]);
      expect(children(tts).map((span) => [span.op, span.name])).toEqual([['ttfb', 'cartesia-tts']]);
      expect(stt.attributes['usage.characters']).toBe(turnInput.user.length);
      expect(llm.attributes).toMatchObject({ 'gen_ai.usage.input_tokens': turnInput.inputTokens, 'gen_ai.usage.output_tokens': turnInput.outputTokens });
      expect(tts.attributes['usage.characters']).toBe(turnInput.reply.length);
    }
    // One TTFB per service per turn, in milliseconds.
    expect(memory.find('processor.ttfb', { attributes: { processor: 'openai-llm' } })[0]).toMatchObject({ count: 2, sum: 600 });
    expect(memory.find('processor.ttfb', { attributes: { processor: 'deepgram-stt' } })[0]).toMatchObject({ count: 2, sum: 240 });
    expect(memory.find('processor.ttfb', { attributes: { processor: 'cartesia-tts' } })[0]).toMatchObject({ count: 2, sum: 300 });
    expect(memory.find('processor.processing', { attributes: { processor: 'openai-llm' } })[0]).toMatchObject({ count: 2, sum: 1800 });
  });

  it('prints the tree through the console exporter', async () => {
    start();
    const clock = installFakeClock();
    await runConversation(clock);
    clock.restore();
    await flush();
    const traceId = memory.spans[0].traceId;
    const tree = lines.slice(lines.findIndex((line) => line.startsWith('[isometer] trace')));
    const turnLines = (offset: number, turn: number) => [
      `    turn turn ${turn + 1} +${offset}ms 1480ms{turn.index=${turn + 1}}`,
      `      stt speech-to-text +${offset}ms 180ms{usage.characters=${TURNS[turn].user.length}}`,
      `        ttfb deepgram-stt +${offset}ms 120ms{processor=deepgram-stt}`,
      `      llm llm +${offset + 180}ms 900ms{gen_ai.usage.input_tokens=${TURNS[turn].inputTokens},gen_ai.usage.output_tokens=${TURNS[turn].outputTokens}}`,
      `        ttfb openai-llm +${offset + 180}ms 300ms{processor=openai-llm}`,
      `        processing openai-llm +${offset + 180}ms 900ms{processor=openai-llm}`,
      `      tts text-to-speech +${offset + 1080}ms 400ms{usage.characters=${TURNS[turn].reply.length}}`,
      `        ttfb cartesia-tts +${offset + 1080}ms 150ms{processor=cartesia-tts}`,
    ];
    expect(tree).toEqual([`[isometer] trace ${traceId} · sampled`, '  conversation conversation +0ms 2960ms{conversation.id=c-42}', ...turnLines(0, 0), ...turnLines(1480, 1)]);
  });

  it('sends the same parents through the OTLP exporter to a collector', async () => {
    const received: OtlpTraceRequest[] = [];
    const server: Server = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.url === '/v1/traces') received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpTraceRequest);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      start([otlpExporter({ endpoint: `http://127.0.0.1:${port}`, env: {} })]);
      const clock = installFakeClock();
      await runConversation(clock);
      clock.restore();
      await expect(flush()).resolves.toBe(true);
      const otlpSpans = received.flatMap((body) => body.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)));
      expect(otlpSpans).toHaveLength(memory.spans.length);
      const parentsSent = new Map(otlpSpans.map((span) => [span.spanId, span.parentSpanId]));
      for (const span of memory.spans) expect(parentsSent.get(span.spanId)).toBe(span.parentSpanId);
      const op = (span: (typeof otlpSpans)[number]) => span.attributes.find((attribute) => attribute.key === 'sentry.op')?.value.stringValue;
      const conversation = otlpSpans.find((span) => op(span) === 'conversation')!;
      const turns = otlpSpans.filter((span) => op(span) === 'turn');
      expect(turns.map((span) => span.parentSpanId)).toEqual([conversation.spanId, conversation.spanId]);
      const ttfbParents = otlpSpans.filter((span) => op(span) === 'ttfb').map((span) => op(otlpSpans.find((parent) => parent.spanId === span.parentSpanId)!));
      expect(ttfbParents.sort()).toEqual(['llm', 'llm', 'stt', 'stt', 'tts', 'tts']);
    } finally {
      await close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
