/**
 * An error's message, or the thrown value as text, for a warning line. Never throws.
 *
 * @example
 * errorMessage(new TypeError('card declined')); // → 'card declined'
 */
export function errorMessage(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'an unprintable value';
  }
}
