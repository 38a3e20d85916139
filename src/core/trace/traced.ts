import { startSpan } from './start-span';

/** Options of `traced`. */
export interface TracedOptions {
  name?: string;
  op?: string;
}

interface MethodDecoratorContext {
  kind: 'method';
  name: string | symbol;
}

function isDecoratorContext(value: unknown): value is MethodDecoratorContext {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'method';
}

/**
 * Wraps a function so every call runs in its own span (named after the function unless
 * `name` is given). Also works as a TypeScript 5 method decorator.
 *
 * @example
 * const loadCart = traced(async (id: string) => db.carts.find(id), { op: 'db.query' });
 * class Checkout { @traced pay() { … } }
 */
export function traced<F extends (...args: any[]) => any>(fn: F, options?: TracedOptions | MethodDecoratorContext): F {
  if (typeof fn !== 'function') return fn;
  const fromDecorator = isDecoratorContext(options);
  const name = fromDecorator ? String(options.name) : options?.name || fn.name || '<anonymous>';
  const op = fromDecorator ? 'function' : (options?.op ?? 'function');
  const wrapper = function (this: unknown, ...args: unknown[]) {
    return startSpan({ name, op }, () => fn.apply(this, args));
  };
  return wrapper as unknown as F;
}
