import { chmodSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { BootstrapError } from './errors.js';
import { ExitCode } from './exit-codes.js';

/** The directory `cdk8s synth` writes to: it is shared and committed to GitOps repos, so never a secret's home. */
export const SYNTH_OUTPUT_DIR = 'dist';

function realDirectory(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function inside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Refuses a manifest path inside `<cwd>/dist` (also through symbolic links). */
export function checkManifestPath(file: string, cwd: string): string {
  const target = resolve(cwd, file);
  const dist = resolve(cwd, SYNTH_OUTPUT_DIR);
  if (inside(dist, target) || inside(realDirectory(dist), join(realDirectory(dirname(target)), basename(target)))) {
    throw new BootstrapError(
      `--write-manifest ${file} is inside ${SYNTH_OUTPUT_DIR}/, the synth output: write the Secret manifest elsewhere (e.g. a sealed-secrets input)`,
      ExitCode.usage,
    );
  }
  return target;
}

function holds(target: string, text: string): boolean {
  try {
    return (statSync(target).mode & 0o777) === 0o600 && readFileSync(target, 'utf8') === text;
  } catch {
    return false;
  }
}

/**
 * Writes the manifest with mode 0600 through a temporary file and a rename,
 * so an interrupted run leaves either the old file or the new one; leaves a
 * file that already holds it alone.
 */
export function writeManifest(target: string, object: KubernetesObject): 'written' | 'unchanged' {
  const text = stringify(object);
  if (holds(target, text)) return 'unchanged';
  mkdirSync(dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.partial`;
  try {
    writeFileSync(temporary, text, { mode: 0o600, flag: 'w' });
    chmodSync(temporary, 0o600);
    renameSync(temporary, target);
  } finally {
    rmSync(temporary, { force: true });
  }
  return 'written';
}
