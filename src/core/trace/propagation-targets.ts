/**
 * True when `url` matches one of `targets`: a string matches as a substring, a RegExp by `test`
 * (Sentry's `tracePropagationTargets` rule). Never throws.
 *
 * @example
 * matchesPropagationTargets('https://api.example.com/v1', ['api.example.com', /^\/api\//]); // → true
 */
export function matchesPropagationTargets(url: string, targets: ReadonlyArray<string | RegExp>): boolean {
  for (const target of targets) {
    try {
      if (typeof target === 'string' ? url.includes(target) : ((target.lastIndex = 0), target.test(url))) return true;
    } catch {
      // A pathological pattern must not break the request.
    }
  }
  return false;
}
