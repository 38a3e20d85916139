import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The packed tarball, checked as npm would publish it and as TypeScript users would consume it:
 * `@arethetypeswrong/cli` and `publint --strict` on the tarball, then a user project that installs
 * it (the tarball unpacked into node_modules/isometer) and type-checks every TypeScript/JavaScript
 * snippet of the README — strict, `skipLibCheck: false` — under each resolver users run:
 * node16 from an ESM file and from a CommonJS file, nodenext, bundler and legacy `node`
 * (TypeScript 5.x), and node16/nodenext/bundler under TypeScript's current major.
 * Needs `npx tsup` first; `npm test` builds before it tests.
 */

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const TSC_5 = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const TSC_CURRENT = join(REPO_ROOT, 'node_modules', 'typescript-current', 'bin', 'tsc');
/** Packages the snippets (or isometer's own declarations) import, linked from the repository as an app would have them installed. */
const LINKED = ['web-vitals', '@sentry/browser', '@sentry/node', '@sentry/core', '@playwright/test', 'playwright', 'playwright-core', '@types/node', 'undici-types'];

let workDir: string;
let tarball: string;
let projectDir: string;

async function exec(file: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failure.code === 'number' ? failure.code : 1, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}

/** The README's ```js / ```ts blocks, in order. */
function readmeSnippets(): string[] {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/```(?:js|ts|typescript|javascript)\n([\s\S]*?)```/g)].map((match) => match[1]);
}

/**
 * One snippet as a module: its imports at the top, the rest inside an async function (snippets
 * use top-level `await`, which a CommonJS file cannot), and `declare` lines for the app's own
 * names (`db`, `cart`, …), which the first compile reports as unknown (TS2304/TS2552).
 */
function snippetModule(snippet: string, index: number, unknownNames: Set<string>): string {
  const lines = snippet.split('\n');
  const imports = lines.filter((line) => /^import\s/.test(line));
  const body = lines.filter((line) => !/^import\s/.test(line));
  // A snippet without imports continues the one before it: it uses isometer's names as imported from `isometer/node`.
  const usedNames = imports.length === 0 ? nodeEntryNames().filter((name) => new RegExp(`\\b${name}\\b`).test(snippet)) : [];
  const usedApi = usedNames.length > 0 ? `import { ${usedNames.join(', ')} } from 'isometer/node';\n` : '';
  const declared = [...unknownNames].map((name) => `declare const ${name}: any;`).join('\n');
  return `${imports.join('\n')}\n${usedApi}${declared}\nexport async function snippet${index}(): Promise<void> {\n${body.join('\n')}\n}\n`;
}

/** The value names `isometer/node` exports, read from its published declarations. */
function nodeEntryNames(): string[] {
  const declarations = readFileSync(join(projectDir, 'node_modules', 'isometer', 'dist', 'node', 'index.d.ts'), 'utf8');
  const names = [...declarations.matchAll(/export \{([^}]*)\}/g)].flatMap((match) => match[1].split(','));
  return names
    .map((name) => name.trim())
    .filter((name) => name !== '' && !name.startsWith('type '))
    .map((name) =>
      name
        .split(/\s+as\s+/)
        .pop()!
        .trim(),
    );
}

interface Variant {
  name: string;
  tsc: string;
  packageType: 'module' | 'commonjs';
  compilerOptions: Record<string, unknown>;
}

const VARIANTS: Variant[] = [
  { name: 'ts5-node16-esm', tsc: TSC_5, packageType: 'module', compilerOptions: { module: 'node16', moduleResolution: 'node16' } },
  { name: 'ts5-node16-cjs', tsc: TSC_5, packageType: 'commonjs', compilerOptions: { module: 'node16', moduleResolution: 'node16' } },
  { name: 'ts5-nodenext', tsc: TSC_5, packageType: 'module', compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' } },
  { name: 'ts5-bundler', tsc: TSC_5, packageType: 'module', compilerOptions: { module: 'esnext', moduleResolution: 'bundler' } },
  { name: 'ts5-node10', tsc: TSC_5, packageType: 'commonjs', compilerOptions: { module: 'commonjs', moduleResolution: 'node' } },
  { name: 'ts-current-node16-esm', tsc: TSC_CURRENT, packageType: 'module', compilerOptions: { module: 'node16', moduleResolution: 'node16' } },
  { name: 'ts-current-node16-cjs', tsc: TSC_CURRENT, packageType: 'commonjs', compilerOptions: { module: 'node16', moduleResolution: 'node16' } },
  { name: 'ts-current-bundler', tsc: TSC_CURRENT, packageType: 'module', compilerOptions: { module: 'esnext', moduleResolution: 'bundler' } },
];

/** Writes the variant's project (its own package.json and tsconfig; node_modules shared) and runs tsc. */
async function typeCheck(variant: Variant, snippets: string[], unknown: Set<string>[]): Promise<{ code: number; output: string }> {
  const dir = join(projectDir, variant.name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: variant.name, private: true, type: variant.packageType }));
  snippets.forEach((snippet, index) => writeFileSync(join(dir, `snippet-${index}.ts`), snippetModule(snippet, index, unknown[index])));
  const tsconfig = {
    compilerOptions: {
      ...variant.compilerOptions,
      target: 'es2022',
      lib: ['es2022', 'dom', 'dom.iterable'],
      types: ['node'],
      typeRoots: [join(projectDir, 'node_modules', '@types')],
      strict: true,
      skipLibCheck: false,
      noEmit: true,
      // README snippets are decorated classes too: standard decorators are TypeScript's default.
      experimentalDecorators: false,
    },
    include: ['*.ts'],
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  return exec(process.execPath, [variant.tsc, '-p', 'tsconfig.json', '--pretty', 'false'], dir);
}

beforeAll(async () => {
  const cache = join(REPO_ROOT, '.cache');
  mkdirSync(cache, { recursive: true });
  workDir = mkdtempSync(join(cache, 'package-types-'));
  const packed = await exec('npm', ['pack', '--silent', '--pack-destination', workDir], REPO_ROOT);
  expect(packed.code, packed.output).toBe(0);
  tarball = join(workDir, packed.output.trim().split('\n').pop()!.trim());
  projectDir = join(workDir, 'project');
  const installed = join(projectDir, 'node_modules', 'isometer');
  mkdirSync(installed, { recursive: true });
  const unpacked = await exec('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'], workDir);
  expect(unpacked.code, unpacked.output).toBe(0);
  for (const name of LINKED) {
    const target = join(REPO_ROOT, 'node_modules', name);
    if (!existsSync(target)) continue;
    const link = join(projectDir, 'node_modules', name);
    mkdirSync(join(link, '..'), { recursive: true });
    symlinkSync(target, link, 'dir');
  }
}, 120_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('ships its LICENSE, README and built entries, and nothing of the sources or tests', () => {
    const root = join(projectDir, 'node_modules', 'isometer');
    for (const file of ['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts', 'dist/isometer.min.js']) {
      expect(existsSync(join(root, file)), file).toBe(true);
    }
    expect(existsSync(join(root, 'src'))).toBe(false);
    expect(existsSync(join(root, 'test'))).toBe(false);
  });

  it('has no problem for @arethetypeswrong/cli on any entry under node10, node16 (ESM and CJS) and bundler', async () => {
    const result = await exec(process.execPath, [join(REPO_ROOT, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js'), tarball, '--format', 'json'], workDir);
    const report = JSON.parse(result.output.slice(result.output.indexOf('{'))) as {
      analysis: { entrypoints: Record<string, { resolutions: Record<string, unknown> }> };
      problems?: unknown[];
    };
    const problems = Array.isArray(report.problems) ? report.problems : Object.values(report.problems ?? {}).flat();
    expect(problems, result.output.slice(0, 4000)).toEqual([]);
    const entrypoints = Object.keys(report.analysis.entrypoints);
    expect(entrypoints).toEqual(expect.arrayContaining(['.', './browser', './node', './otlp', './playwright']));
    for (const entry of entrypoints) expect(Object.keys(report.analysis.entrypoints[entry].resolutions).sort()).toEqual(['bundler', 'node10', 'node16-cjs', 'node16-esm']);
    expect(result.code).toBe(0);
  }, 120_000);

  it('is clean for publint --strict', async () => {
    const result = await exec(process.execPath, [join(REPO_ROOT, 'node_modules', 'publint', 'src', 'cli.js'), '--strict', join(projectDir, 'node_modules', 'isometer')], workDir);
    expect(result.output).toContain('All good');
    expect(result.code).toBe(0);
  }, 120_000);
});

describe('every README snippet type-checks in a user project', () => {
  it('finds the snippets', () => {
    expect(readmeSnippets().length).toBeGreaterThanOrEqual(8);
  });

  // The app's own names (db, cart, …) are unknown to every resolver alike: found once, with the
  // fastest compiler, then declared in every variant.
  let unknown: Set<string>[];
  beforeAll(async () => {
    const snippets = readmeSnippets();
    unknown = snippets.map(() => new Set<string>());
    const discovery = await typeCheck({ ...VARIANTS[VARIANTS.length - 1], name: 'discover-unknown-names' }, snippets, unknown);
    for (const match of discovery.output.matchAll(
      /snippet-(\d+)\.ts\(\d+,\d+\): error TS(?:2304|2552|18004): (?:Cannot find name|No value exists in scope for the shorthand property) '([A-Za-z_$][\w$]*)'/g,
    )) {
      unknown[Number(match[1])].add(match[2]);
    }
  }, 180_000);

  for (const variant of VARIANTS) {
    it(`${variant.name}: strict, skipLibCheck false`, async () => {
      const result = await typeCheck(variant, readmeSnippets(), unknown);
      expect(result.output).toBe('');
      expect(result.code).toBe(0);
    }, 180_000);
  }
});
