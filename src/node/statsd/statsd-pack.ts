/** Datagrams ready to send, and how many lines were too long for any of them. */
export interface PackedDatagrams {
  datagrams: Buffer[];
  /** Lines longer than `maxBytes` on their own; they are left out. */
  oversized: number;
}

/**
 * Packs lines, in order, into as few datagrams as fit: lines joined by `\n`, each datagram at most
 * `maxBytes` bytes of UTF-8. StatsD and DogStatsD read one datagram as newline-separated lines
 * ("Multi-Metric Packets", statsd docs/metric_types.md); a datagram past the path MTU is
 * fragmented or dropped, hence the limit (1432 by default, the figure the StatsD docs give for
 * Ethernet: 1500 less the IP and UDP headers and a margin). A line may itself hold a `\n` (two lines
 * that must travel together); it is never split.
 *
 * @example
 * packDatagrams(['a:1|c', 'b:2|g'], 1432).datagrams.map(String); // → ['a:1|c\nb:2|g']
 */
export function packDatagrams(lines: readonly string[], maxBytes: number): PackedDatagrams {
  const datagrams: Buffer[] = [];
  let oversized = 0;
  let parts: string[] = [];
  let size = 0;
  for (const line of lines) {
    const bytes = Buffer.byteLength(line, 'utf8');
    if (bytes > maxBytes) {
      oversized++;
      continue;
    }
    if (parts.length > 0 && size + 1 + bytes > maxBytes) {
      datagrams.push(Buffer.from(parts.join('\n'), 'utf8'));
      parts = [];
      size = 0;
    }
    size += parts.length > 0 ? 1 + bytes : bytes;
    parts.push(line);
  }
  if (parts.length > 0) datagrams.push(Buffer.from(parts.join('\n'), 'utf8'));
  return { datagrams, oversized };
}
