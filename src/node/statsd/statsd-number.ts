/**
 * A finite number as StatsD daemons read it: the shortest decimal that parses back to the same
 * double, always in plain notation. JavaScript switches to exponent notation below 1e-6 and from
 * 1e21 on, and the reference daemon reads sample rates with `/^@([\d.]+)/`, so `@1e-7` would be
 * taken as `@1` (statsd/statsd stats.js); plain digits parse the same everywhere.
 *
 * @example
 * formatStatsdNumber(0.25);   // '0.25'
 * formatStatsdNumber(1.5e-7); // '0.00000015'
 * formatStatsdNumber(-0);     // '0'
 */
export function formatStatsdNumber(value: number): string {
  const text = String(value);
  return text.includes('e') ? expandExponent(text) : text;
}

/** '1.5e-7' → '0.00000015', '-2e+21' → '-2000000000000000000000'. The decimal value is unchanged. */
function expandExponent(text: string): string {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const marker = body.indexOf('e');
  const mantissa = body.slice(0, marker);
  const exponent = Number(body.slice(marker + 1));
  const dot = mantissa.indexOf('.');
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  const pointAt = (dot < 0 ? mantissa.length : dot) + exponent;
  let plain: string;
  if (pointAt <= 0) plain = `0.${'0'.repeat(-pointAt)}${digits}`;
  else if (pointAt >= digits.length) plain = digits + '0'.repeat(pointAt - digits.length);
  else plain = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return negative ? `-${plain}` : plain;
}
