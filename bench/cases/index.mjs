/**
 * The timed cases, in the order they are printed. A case is
 * `{ title, budgetNs?, budgetRatio?, contenders(peers) → Array<Contender | false | undefined> }` where a contender is
 * `{ library, call, isometer?, run(n) → number, recorded?() → Promise<number>, unchecked? }`: `run` performs n
 * operations in its own loop (no per-operation callback, so the harness adds nothing) and returns a
 * number derived from them; `recorded` says how many operations the library really kept
 * (`unchecked` explains why a contender cannot tell).

 */
import { boundCounterAdd } from './bound-counter-add.mjs';
import { countPastLimit } from './count-past-limit.mjs';
import { countWithAttributes } from './count-with-attributes.mjs';
import { distributionWithAttribute } from './distribution-with-attribute.mjs';
import { startSpanAroundEmptyFunction } from './start-span.mjs';

export const CASES = [countWithAttributes, boundCounterAdd, distributionWithAttribute, countPastLimit, startSpanAroundEmptyFunction];
