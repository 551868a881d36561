import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/run-synth.js';

/**
 * The library's folders depend one way (config → constructs → values, with
 * lib/model below them all): a builder that imported a construct would tie the
 * values to cdk8s and let the two drift into a cycle. The bootstrap's Keycloak
 * and cluster sides stay apart. Each rule names a folder
 * and the folders its files must not import, parsed from the sources.
 */
const FORBIDDEN: Record<string, readonly string[]> = {
  'lib/values': ['lib/constructs', 'lib/app', 'lib/cli', 'lib/bootstrap'],
  'lib/model': ['lib/constructs', 'lib/values', 'lib/config'],
  'lib/config': ['lib/constructs', 'lib/values'],
  // The bootstrap's two sides meet only in bootstrap-keycloak.ts and the shared errors, exit codes, owner and retry.
  'lib/bootstrap/keycloak': ['lib/bootstrap/cluster', 'lib/bootstrap/bootstrap-keycloak.js'],
  'lib/bootstrap/cluster': ['lib/bootstrap/keycloak', 'lib/bootstrap/bootstrap-keycloak.js'],
};

function sourceFiles(folder: string): string[] {
  return readdirSync(join(REPO, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(folder, file));
}

/** The repository-relative targets of a file's relative imports and re-exports. */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(REPO, file), 'utf8'), true, true);
  return importedFiles
    .map(({ fileName }) => fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => relative(REPO, resolve(REPO, dirname(file), name)));
}

function violations(folder: string, forbidden: readonly string[]): string[] {
  return sourceFiles(folder).flatMap((file) =>
    importsOf(file)
      .filter((target) => forbidden.some((layer) => target === layer || target.startsWith(`${layer}/`)))
      .map((target) => `${file} imports ${target}`));
}

describe('library layers', () => {
  for (const [folder, forbidden] of Object.entries(FORBIDDEN)) {
    it(`${folder} imports none of ${forbidden.join(', ')}`, () => {
      expect(sourceFiles(folder).length).toBeGreaterThan(0);
      expect(violations(folder, forbidden)).toEqual([]);
    });
  }

  it('the import parser sees type-only imports and re-exports, so the rules above can fail', () => {
    expect(violations('lib/constructs', ['lib/values', 'lib/model'])).toEqual(expect.arrayContaining([
      'lib/constructs/hub-helm.ts imports lib/values/index.js',
      'lib/constructs/storage.ts imports lib/model/kubernetes-types.js',
    ]));
    expect(violations('lib', ['lib/constructs'])).toContain('lib/index.ts imports lib/constructs/storage.js');
  });
});
