import type { IncomingMessage } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

/**
 * Why a body could not be read: `too_large` (over the limit, before or after decompression) or
 * `invalid_encoding` (a `content-encoding` the viewer cannot undo, or bytes that are not in it).
 */
export class BodyError extends Error {
  constructor(
    readonly reason: 'too_large' | 'invalid_encoding',
    message: string,
  ) {
    super(message);
  }
}

const DECODERS: Record<string, (bytes: Buffer, options: { maxOutputLength: number }) => Buffer> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
};

/**
 * A request's body, decompressed per `content-encoding` (SDKs gzip envelopes and OTLP bodies),
 * at most `limit` bytes either way. Past the limit it stops keeping what arrives (the rest is
 * drained, so the client still reads the 413) and rejects with a `BodyError`.
 *
 * @example
 * const bytes = await readRequestBody(req, 5 * 1024 * 1024);
 */
export function readRequestBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(new BodyError('too_large', `request body of ${declared} bytes is over the ${limit}-byte limit`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        reject(new BodyError('too_large', `request body over the ${limit}-byte limit`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (over) return;
      const raw = Buffer.concat(chunks);
      const encoding = String(req.headers['content-encoding'] ?? 'identity')
        .trim()
        .toLowerCase();
      if (encoding === '' || encoding === 'identity') return resolve(raw);
      const decode = DECODERS[encoding];
      if (!decode) return reject(new BodyError('invalid_encoding', `content-encoding ${encoding} is not supported (gzip, deflate, br)`));
      try {
        resolve(decode(raw, { maxOutputLength: limit }));
      } catch (error) {
        const tooLarge = (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
        reject(new BodyError(tooLarge ? 'too_large' : 'invalid_encoding', tooLarge ? `decompressed body over the ${limit}-byte limit` : `the body is not valid ${encoding}`));
      }
    });
  });
}
