/**
 * A voice agent's trace, end to end: conversation → turn → speech-to-text, LLM and text-to-speech
 * calls, each with its time to first byte (processorMetrics) and usage attributes (characters,
 * tokens), printed by the console exporter as a span tree plus the metrics table.
 *
 * Build first, then run from the repository root:
 *   npx tsup && node scripts/examples/conversation-trace.mjs
 * Set OTEL_EXPORTER_OTLP_ENDPOINT (e.g. http://localhost:4318) to send the same trace over OTLP too.
 *
 * @example
 * node scripts/examples/conversation-trace.mjs
 */
import { close, consoleExporter, init, processorMetrics, startSpan } from 'isometer/node';

const turns = [
  { user: 'What is the weather in Lisbon?', reply: 'Sunny, 24 degrees.', inputTokens: 412, outputTokens: 9 },
  { user: 'And tomorrow?', reply: 'Cloudy, 19 degrees.', inputTokens: 431, outputTokens: 8 },
];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const exporters = [consoleExporter()];
if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) {
  const { otlpExporter } = await import('isometer/otlp');
  exporters.push(otlpExporter());
}
init({ serviceName: 'voice-agent', tracesSampleRate: 1, flushIntervalMs: 0, exporters });

// One instance per processor for the whole conversation; the LLM streams, so only the first
// TTFB of each turn is reported (newTurn() re-arms it).
const stt = processorMetrics('deepgram-stt');
const llm = processorMetrics('openai-llm', { reportOnlyFirstTtfb: true, attributes: { model: 'gpt-4o-mini' } });
const tts = processorMetrics('cartesia-tts');

await startSpan({ name: 'conversation', op: 'conversation', attributes: { 'conversation.id': 'c-42' } }, async () => {
  for (const [index, turn] of turns.entries()) {
    llm.newTurn();
    await startSpan({ name: `turn ${index + 1}`, op: 'turn', attributes: { 'turn.index': index + 1 } }, async () => {
      const transcript = await startSpan({ name: 'speech-to-text', op: 'stt' }, async (span) => {
        stt.startTtfb();
        await sleep(40); // the first partial transcript arrives
        stt.stopTtfb();
        await sleep(20); // the final transcript arrives
        span.setAttribute('usage.characters', turn.user.length);
        return turn.user;
      });

      const reply = await startSpan({ name: 'llm', op: 'llm', attributes: { 'prompt.characters': transcript.length } }, async (span) => {
        llm.startTtfb();
        llm.startProcessing();
        await sleep(90); // first token
        llm.stopTtfb();
        llm.startTtfb(); // a later chunk: ignored, the turn's TTFB is already reported
        await sleep(60); // remaining tokens
        llm.stopTtfb();
        llm.stopProcessing();
        span.setAttributes({ 'gen_ai.usage.input_tokens': turn.inputTokens, 'gen_ai.usage.output_tokens': turn.outputTokens });
        return turn.reply;
      });

      await startSpan({ name: 'text-to-speech', op: 'tts' }, async (span) => {
        tts.startTtfb();
        await sleep(50); // first audio chunk
        tts.stopTtfb();
        await sleep(80); // the rest of the audio
        span.setAttribute('usage.characters', reply.length);
      });
    });
  }
});

await close();
