import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { embeddableFiles, markEmbeddedFiles, restoreEmbeddedFiles } from '../support/embedded-files.js';
import { REPO } from '../support/run-synth.js';

const PROFILES = 'lib/hub/30-thinkube-profiles.py';
const profiles = readFileSync(join(REPO, PROFILES), 'utf8');

/** A HelmChart-like manifest: the body inside values YAML inside a manifest, as the synth nests it (no line folding, as cdk8s writes). */
function helmChart(body: string): string {
  const valuesContent = stringify({ hub: { extraConfig: { '30-thinkube-profiles.py': body } } }, { lineWidth: 0 });
  return stringify({ kind: 'HelmChart', spec: { valuesContent } }, { lineWidth: 0 });
}

describe('snapshot markers for embedded files (test/support/embedded-files.ts)', () => {
  it('replaces a body identical to its file with a marker naming the file and its hash, and restores it', () => {
    const yaml = helmChart(profiles);
    const marked = markEmbeddedFiles(yaml);
    const sha = embeddableFiles().find((file) => file.path === PROFILES)?.sha;
    expect(marked).toContain(`        30-thinkube-profiles.py: |\n          <<${PROFILES} sha256:${sha}>>\n`);
    expect(marked.split('\n').length).toBeLessThan(12);
    expect(restoreEmbeddedFiles(marked)).toBe(yaml);
  });

  it.each([
    ['one line changed', profiles.replace('def ', 'def  ')],
    ['a line added', `${profiles}print("extra")\n`],
    ['the final newline missing', profiles.replace(/\n$/, '')],
  ])('keeps a body that differs from its file verbatim (%s)', (_name, body) => {
    expect(body).not.toBe(profiles);
    const yaml = helmChart(body);
    expect(markEmbeddedFiles(yaml)).toBe(yaml);
  });

  it('refuses to restore a marker whose file changed since the snapshot was written', () => {
    const marked = markEmbeddedFiles(helmChart(profiles));
    const changed = embeddableFiles().map((file) => (file.path === PROFILES ? { ...file, sha: '000000000000' } : file));
    expect(() => restoreEmbeddedFiles(marked, changed)).toThrow(`${PROFILES} changed since the snapshot was written`);
  });
});
