import { importBuilt } from '/work/wt/otlp/bench/peers/isometer.mjs';
import { runOtlpFlushBench } from '/work/wt/otlp/bench/flush/otlp-flush.mjs';
const isometer = await importBuilt('isometer/node');
const otlp = await importBuilt('isometer/otlp');
await runOtlpFlushBench(isometer, otlp);
process.exit(0);
