import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/run-synth.js';
import { tempDir } from '../support/temp-dir.js';

const examples = readdirSync(join(REPO, 'examples')).filter((f) => f.endsWith('.ts')).sort();
const readme = readFileSync(join(REPO, 'README.md'), 'utf8');

describe('README examples (type-checked by `npm run typecheck` through tsconfig paths)', () => {
  it.each(examples)('%s stands verbatim in the README', (file) => {
    const code = readFileSync(join(REPO, 'examples', file), 'utf8');
    expect(readme).toContain('```ts\n' + code + '```');
  });

  it.each(examples)('%s runs and synthesizes manifests', (file) => {
    const out = tempDir('tjh-example');
    const result = spawnSync(join(REPO, 'node_modules', '.bin', 'tsx'), [join(REPO, 'examples', file)], {
      cwd: REPO, env: { ...process.env, CDK8S_OUTDIR: out }, encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    const manifests = readdirSync(out).filter((f) => f.endsWith('.k8s.yaml'));
    expect(manifests.length).toBe(1);
    expect(readFileSync(join(out, manifests[0]), 'utf8')).toMatch(/^apiVersion: /m);
  }, 30_000);
});

describe('README configuration examples', () => {
  const blocks = [...readme.matchAll(/^( *)```yaml\n([\s\S]*?)^\1```/gm)].map((m) => m[2].replace(new RegExp(`^${m[1]}`, 'gm'), ''));

  it('are valid configurations', async () => {
    const { resolveConfig } = await import('../../lib/index.js');
    const { parse } = await import('yaml');
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) expect(() => resolveConfig(parse(block))).not.toThrow();
  });
});
