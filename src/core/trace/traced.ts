import { debugLogger } from '../internal/debug-logger';
import { startSpan } from './start-span';

/** Options of `traced`. */
export interface TracedOptions {
  /** The span name. Default: the function's (or method's) own name. */
  name?: string;
  /** The span op. Default `function`. */
  op?: string;
}

/** What a standard (TC39, TypeScript ≥ 5 without `experimentalDecorators`) method decorator receives. */
interface MethodDecoratorContext {
  kind: 'method';
  name: string | symbol;
}

function isDecoratorContext(value: unknown): value is MethodDecoratorContext {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'method';
}

function isMethodDescriptor(value: unknown): value is PropertyDescriptor & { value: (...args: any[]) => any } {
  return typeof value === 'object' && value !== null && typeof (value as PropertyDescriptor).value === 'function';
}

function wrap<F extends (...args: any[]) => any>(fn: F, name: string, op: string): F {
  const wrapper = function (this: unknown, ...args: unknown[]) {
    return startSpan({ name, op }, () => fn.apply(this, args));
  };
  return wrapper as unknown as F;
}

function spanName(given: string | undefined, fn: { name?: string }): string {
  if (given) return given;
  if (fn.name) return fn.name;
  debugLogger.warnOnce('traced:name', process.env.NODE_ENV !== 'production' && 'traced(fn): the function has no name, so its spans are named "traced function"; pass traced(fn, { name: "…" }).');
  return 'traced function';
}

/**
 * Wraps a function so every call runs in its own span, named `options.name`, else after the
 * function. As a method decorator, `@traced` works both with standard decorators and with
 * `experimentalDecorators` (NestJS, Angular, TypeORM); the span is named after the method.
 *
 * @example
 * const loadCart = traced(async (id: string) => db.carts.find(id), { name: 'load cart', op: 'db.query' });
 * class Checkout { @traced pay() { … } }
 */
export function traced<F extends (...args: any[]) => any>(fn: F, options?: TracedOptions | MethodDecoratorContext): F;
/** `@traced` on a method under `experimentalDecorators`. */
export function traced(target: object, propertyKey: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor;
export function traced(fn: unknown, options?: unknown, descriptor?: unknown): unknown {
  try {
    if (isMethodDescriptor(descriptor) && (typeof options === 'string' || typeof options === 'symbol')) {
      return { ...descriptor, value: wrap(descriptor.value, String(options), 'function') };
    }
    if (typeof fn !== 'function') {
      debugLogger.warnOnce('traced:fn', process.env.NODE_ENV !== 'production' && 'traced(fn): fn must be a function (or use @traced on a method); nothing was wrapped.');
      return fn;
    }
    if (isDecoratorContext(options)) return wrap(fn as (...args: any[]) => any, String(options.name), 'function');
    const given = options as TracedOptions | undefined;
    return wrap(fn as (...args: any[]) => any, spanName(typeof given?.name === 'string' ? given.name : undefined, fn), typeof given?.op === 'string' ? given.op : 'function');
  } catch (error) {
    debugLogger.internalError('traced', error);
    return descriptor ?? fn;
  }
}
