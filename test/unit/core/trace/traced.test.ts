import { afterEach, describe, expect, it, vi } from 'vitest';
import { close, init, memoryExporter, traced, type MemoryExporter } from '../../../../src/core/index';

let memory: MemoryExporter;

function start(): void {
  memory = memoryExporter();
  init({ exporters: [memory], tracesSampleRate: 1, flushIntervalMs: 0 });
}

afterEach(async () => {
  await close();
  vi.restoreAllMocks();
});

async function spanNames(): Promise<string[]> {
  await close();
  return memory.spans.map((span) => span.name);
}

describe('traced', () => {
  it('names spans after options.name, else after the function', async () => {
    start();
    const named = traced(() => 1, { name: 'load cart' });
    function loadUser(): number {
      return 2;
    }
    expect(named()).toBe(1);
    expect(traced(loadUser)()).toBe(2);
    expect(await spanNames()).toEqual(['load cart', 'loadUser']);
  });

  it('says once that an anonymous function needs a name, and still traces it', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    start();
    const first = traced(async (id: string) => id);
    const second = traced(async (id: string) => id);
    expect(await first('a')).toBe('a');
    expect(await second('b')).toBe('b');
    expect(await spanNames()).toEqual(['traced function', 'traced function']);
    expect(warn.mock.calls.filter((call) => String(call[1]).includes('has no name'))).toHaveLength(1);
  });

  it('traces a method decorated under experimentalDecorators (target, key, descriptor)', async () => {
    start();
    class Checkout {
      total = 3;
      pay(amount: number): number {
        return this.total + amount;
      }
    }
    const descriptor = Object.getOwnPropertyDescriptor(Checkout.prototype, 'pay')!;
    Object.defineProperty(Checkout.prototype, 'pay', traced(Checkout.prototype, 'pay', descriptor));
    expect(new Checkout().pay(4)).toBe(7);
    expect(await spanNames()).toEqual(['pay']);
  });

  it('traces a method decorated with a standard decorator (value, context)', async () => {
    start();
    const pay = traced(
      function (this: { total: number }, amount: number) {
        return this.total + amount;
      },
      { kind: 'method', name: 'pay' },
    );
    expect(pay.call({ total: 1 }, 2)).toBe(3);
    expect(await spanNames()).toEqual(['pay']);
  });
});
