import { randomBytes } from 'node:crypto';
import {
  closeSync, constants, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { BootstrapError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';

/** The directory `cdk8s synth` writes to by default: it is shared and committed to GitOps repos, so never a secret's home. */
export const SYNTH_OUTPUT_DIR = 'dist';

/**
 * Every directory a synth may write to: CDK8S_OUTDIR (as main.ts reads it)
 * or dist/, resolved against the working directory and against the project
 * (the config file's directory), since synth may run from either.
 */
export function synthOutputDirs(cwd: string, env: NodeJS.ProcessEnv, configFile?: string): string[] {
  const names = [...new Set([env.CDK8S_OUTDIR, SYNTH_OUTPUT_DIR].filter((name): name is string => Boolean(name)))];
  const bases = [...new Set([cwd, ...(configFile ? [dirname(resolve(cwd, configFile))] : [])])];
  return [...new Set(bases.flatMap((base) => names.map((name) => resolve(base, name))))];
}

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

/**
 * Checks a --write-manifest path: not empty, not a directory, and not inside
 * a synth output directory (also through symbolic links). Returns it absolute.
 */
export function checkManifestPath(file: string, cwd: string, outputDirs: readonly string[] = [resolve(cwd, SYNTH_OUTPUT_DIR)]): string {
  if (file.trim() === '') {
    throw new BootstrapError('--write-manifest is empty: give the file to write the Secret manifest to, e.g. --write-manifest secrets/oidc-secret.yaml', ExitCode.usage);
  }
  const target = resolve(cwd, file);
  let directory = /[/\\]$/.test(file);
  try {
    directory ||= statSync(target).isDirectory();
  } catch {
    // Does not exist yet: it will be created.
  }
  if (directory) {
    throw new BootstrapError(`--write-manifest ${file} is a directory: name the file to write, e.g. ${join(file, 'oidc-secret.yaml')}`, ExitCode.usage);
  }
  const real = join(realDirectory(dirname(target)), basename(target));
  for (const output of outputDirs) {
    if (inside(output, target) || inside(realDirectory(output), real)) {
      throw new BootstrapError(
        `--write-manifest ${file} is inside ${relative(cwd, output) || output}/, the synth output: write the Secret manifest elsewhere (e.g. a sealed-secrets input)`,
        ExitCode.usage,
      );
    }
  }
  return target;
}

/** A regular file (not a link to one) with mode 0600 holding exactly `text`. */
function holds(target: string, text: string): boolean {
  try {
    const stat = lstatSync(target);
    return stat.isFile() && (stat.mode & 0o777) === 0o600 && readFileSync(target, 'utf8') === text;
  } catch {
    return false;
  }
}

/** A manifest file being written: its temporary file exists, the target is untouched until `commit`. */
export interface PendingManifest {
  readonly target: string;
  /** Writes `object` and renames it over the target; leaves a target that already holds it alone. */
  commit(object: KubernetesObject): 'written' | 'unchanged';
  /** Removes the temporary file. */
  abort(): void;
}

/**
 * Opens the temporary file for `target` before anything else happens, so that
 * a path that cannot be written fails the run before a secret is rotated.
 * The name is unpredictable and created exclusively (O_CREAT|O_EXCL|O_NOFOLLOW,
 * mode 0600) in the target's directory: a file or link planted there is never
 * followed or overwritten, and the rename is atomic.
 */
export function openManifest(target: string, file = target): PendingManifest {
  const directory = dirname(target);
  const temporary = join(directory, `.${basename(target)}.${randomBytes(8).toString('hex')}.partial`);
  let fd: number;
  try {
    mkdirSync(directory, { recursive: true });
    fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch (error) {
    throw new BootstrapError(
      `--write-manifest ${file} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message} in ${directory}): `
      + 'choose a path in a directory you can write',
      ExitCode.usage,
    );
  }
  let open = true;
  const abort = (): void => {
    if (open) closeSync(fd);
    open = false;
    rmSync(temporary, { force: true });
  };
  return {
    target,
    abort,
    commit(object) {
      const text = stringify(object);
      try {
        if (holds(target, text)) return 'unchanged';
        writeSync(fd, text);
        fsyncSync(fd);
        closeSync(fd);
        open = false;
        renameSync(temporary, target);
        return 'written';
      } finally {
        abort();
      }
    },
  };
}
