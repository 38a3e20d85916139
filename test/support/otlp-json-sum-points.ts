/** The shape of an OTLP/HTTP JSON metrics body that counting its sum data points needs. */
interface OtlpJsonMetricsBody {
  resourceMetrics: Array<{ scopeMetrics: Array<{ metrics: Array<{ sum?: { dataPoints: unknown[] } }> }> }>;
}

/**
 * How many sum (counter) data points an OTLP/HTTP JSON metrics request body carries.
 *
 * @example
 * delivered += sumPointsIn(Buffer.concat(chunks));
 */
export function sumPointsIn(body: Buffer | string): number {
  const payload = JSON.parse(typeof body === 'string' ? body : body.toString('utf8')) as OtlpJsonMetricsBody;
  let points = 0;
  for (const resource of payload.resourceMetrics) for (const scope of resource.scopeMetrics) for (const metric of scope.metrics) points += metric.sum?.dataPoints.length ?? 0;
  return points;
}
