import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SDK_NAME, SDK_VERSION } from '../../src/core/internal/version';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

describe('SDK version', () => {
  it('equals the version in package.json', () => {
    expect(SDK_VERSION).toBe(packageJson.version);
  });

  it('reports the package name as the SDK name', () => {
    expect(SDK_NAME).toBe(packageJson.name);
  });
});
