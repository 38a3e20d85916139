/** The exposition formats the scrape endpoint serves. */
export type ExpositionFormat = 'protobuf' | 'openmetrics' | 'text';

/**
 * Picks the exposition format from a scraper's `Accept` header (RFC 9110 §12.5.1 with q-values):
 * protobuf for `application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily;
 * encoding=delimited` (what Prometheus asks for first with native histograms on), OpenMetrics
 * 1.0.0 for `application/openmetrics-text` (version 1.0.0, 0.0.1 or none), else the text format
 * 0.0.4, which is also the answer to no header, `*\/*` and anything unknown. The highest q wins;
 * on a tie, the first listed.
 *
 * @example
 * negotiateFormat('application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5'); // → 'openmetrics'
 */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  if (typeof accept !== 'string' || accept.trim() === '') return 'text';
  let best: ExpositionFormat = 'text';
  let bestQ = -1;
  for (const range of accept.split(',')) {
    const [type, ...parameterList] = range.split(';').map((part) => part.trim());
    const parameters = new Map<string, string>();
    for (const parameter of parameterList) {
      const at = parameter.indexOf('=');
      if (at > 0)
        parameters.set(
          parameter.slice(0, at).trim().toLowerCase(),
          parameter
            .slice(at + 1)
            .trim()
            .replace(/^"|"$/g, ''),
        );
    }
    const q = parameters.has('q') ? Number(parameters.get('q')) : 1;
    if (!(q > 0)) continue;
    const format = formatOf(type.toLowerCase(), parameters);
    if (format !== undefined && q > bestQ) {
      best = format;
      bestQ = q;
    }
  }
  return best;
}

function formatOf(type: string, parameters: Map<string, string>): ExpositionFormat | undefined {
  if (type === 'application/vnd.google.protobuf') {
    return parameters.get('proto') === 'io.prometheus.client.MetricFamily' && parameters.get('encoding') === 'delimited' ? 'protobuf' : undefined;
  }
  if (type === 'application/openmetrics-text') {
    const version = parameters.get('version');
    return version === undefined || version === '1.0.0' || version === '0.0.1' ? 'openmetrics' : undefined;
  }
  if (type === 'text/plain') {
    const version = parameters.get('version');
    return version === undefined || version === '0.0.4' ? 'text' : undefined;
  }
  return type === '*/*' || type === 'text/*' ? 'text' : undefined;
}
