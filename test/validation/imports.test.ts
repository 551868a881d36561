import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/run-synth.js';
import { HELMCHART_CRD } from '../support/vendor.js';
import { tempDir } from '../support/temp-dir.js';

describe('generated imports', () => {
  it('imports/helm.cattle.io.ts is what `cdk8s import` generates from the vendored CRD today', () => {
    const out = tempDir('tjh-import');
    const result = spawnSync(join(REPO, 'node_modules', '.bin', 'cdk8s'), ['import', HELMCHART_CRD, '-l', 'typescript', '-o', out, '--no-check-upgrade'], { cwd: out, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(join(REPO, 'imports', 'helm.cattle.io.ts'), 'utf8')).toBe(readFileSync(join(out, 'helm.cattle.io.ts'), 'utf8'));
  }, 60_000);
});
