import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { BootstrapError } from '../bootstrap/errors.js';
import { ExitCode } from '../bootstrap/exit-codes.js';

/**
 * The objects of the `*.yaml` files in `dir` (what `kubectl apply -f dir`
 * applied), for tearing down what was applied from an older config.
 */
export function readManifests(dir: string, cwd: string): Record<string, unknown>[] {
  const folder = resolve(cwd, dir);
  let files: string[];
  try {
    files = readdirSync(folder).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch (error) {
    throw new BootstrapError(`--manifests ${dir}: cannot read the folder (${(error as Error).message})`, ExitCode.usage);
  }
  if (files.length === 0) throw new BootstrapError(`--manifests ${dir} holds no .yaml file: pass the folder you applied (e.g. dist)`, ExitCode.usage);
  return files.flatMap((file) => parseAllDocuments(readFileSync(join(folder, file), 'utf8')).flatMap((doc) => {
    if (doc.errors.length > 0) throw new BootstrapError(`${join(dir, file)} is not valid YAML: ${doc.errors[0].message}`, ExitCode.usage);
    const value = doc.toJS() as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? [value as Record<string, unknown>] : [];
  }));
}
