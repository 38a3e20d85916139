/**
 * The floor plan as a check, run by `npm test`: folders are layers, and imports only go down.
 *
 *   core/internal → core/carrier.ts → core/metrics → core/trace → core/export → core/sentry
 *   → core/recorders → core/sdk → core/index.ts
 *
 * A file may import its own layer and the layers below it. The runtime folders (browser/, node/,
 * otlp/, playwright/, dev/) sit on top of the core and never import each other; cdn.ts (the
 * script tag) may use the browser folder. No import cycle is allowed, type-only imports included.
 * Prints every offending import by file and line and exits 1 when there is one.
 *
 * @example
 * node scripts/check-layers.mjs
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SRC = join(ROOT, 'src');
const CORE_LAYERS = ['internal', 'carrier', 'metrics', 'trace', 'export', 'sentry', 'recorders', 'sdk', 'index'];
const RUNTIMES = ['browser', 'node', 'otlp', 'playwright', 'dev'];

function listSources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listSources(path);
    return /\.(ts|mts|cts)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Where a file sits: `core:<layer>` or `runtime:<folder>` or `cdn`. */
function placeOf(file) {
  const parts = relative(SRC, file).split('/');
  if (parts[0] === 'core') {
    if (parts.length === 2) return { kind: 'core', layer: parts[1].replace(/\.ts$/, '') };
    return { kind: 'core', layer: parts[1] };
  }
  if (parts.length === 1) return { kind: 'cdn', layer: parts[0] };
  return { kind: 'runtime', layer: parts[0] };
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const found = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2];
    if (!specifier.startsWith('.')) continue;
    const line = text.slice(0, match.index + match[0].indexOf(specifier)).split('\n').length;
    const base = resolve(dirname(file), specifier);
    const target = [`${base}.ts`, join(base, 'index.ts'), base].find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
    if (target) found.push({ target, line, specifier });
  }
  return found;
}

function allowed(from, to) {
  if (from.kind === 'core') {
    if (to.kind !== 'core') return false;
    return CORE_LAYERS.indexOf(to.layer) <= CORE_LAYERS.indexOf(from.layer);
  }
  if (to.kind === 'core') return true;
  if (from.kind === 'cdn') return to.kind === 'runtime' && (to.layer === 'browser' || to.layer === 'otlp');
  return to.kind === 'runtime' && to.layer === from.layer;
}

const files = listSources(SRC);
const graph = new Map();
const problems = [];
for (const file of files) {
  const from = placeOf(file);
  if (from.kind === 'core' && !CORE_LAYERS.includes(from.layer)) problems.push(`${relative(ROOT, file)}: src/core/${from.layer} is not a layer (${CORE_LAYERS.join(', ')})`);
  if (from.kind === 'runtime' && !RUNTIMES.includes(from.layer)) problems.push(`${relative(ROOT, file)}: src/${from.layer} is not a runtime folder (${RUNTIMES.join(', ')})`);
  const edges = importsOf(file);
  graph.set(
    file,
    edges.map((edge) => edge.target),
  );
  for (const edge of edges) {
    const to = placeOf(edge.target);
    if (!allowed(from, to)) problems.push(`${relative(ROOT, file)}:${edge.line} imports ${relative(ROOT, edge.target)} (${from.kind} ${from.layer} may not import ${to.kind} ${to.layer})`);
  }
}

// Tarjan's strongly connected components: any component of more than one file is a cycle.
let index = 0;
const stack = [];
const meta = new Map();
function connect(file) {
  const entry = { index, low: index, onStack: true };
  meta.set(file, entry);
  index++;
  stack.push(file);
  for (const next of graph.get(file) ?? []) {
    if (!meta.has(next)) {
      connect(next);
      entry.low = Math.min(entry.low, meta.get(next).low);
    } else if (meta.get(next).onStack) entry.low = Math.min(entry.low, meta.get(next).index);
  }
  if (entry.low === entry.index) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      meta.get(member).onStack = false;
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) problems.push(`import cycle: ${component.map((f) => relative(ROOT, f)).join(' ↔ ')}`);
  }
}
for (const file of files) if (!meta.has(file)) connect(file);

if (problems.length > 0) {
  console.error(`layering: ${problems.length} problem(s)`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(`layering: ${files.length} files, every import goes down a layer or stays in its own, no cycles`);
