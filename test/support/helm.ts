/**
 * The real-chart tier: helm v3 and the Z2JH chart archives that
 * test/helm/provision.sh builds and fetches (one provision step for every tier).
 *
 *   describe.skipIf(tierUnavailable('helm', helmUnavailableReason()))('...', () => {
 *     it('...', () => { helmTemplate(values, '4.4.0'); });
 *   });
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { REPO } from './run-synth.js';
import type { Manifest } from './synth.js';
import { scriptCheckReason } from './tier.js';

const provisionScript = join(REPO, 'test', 'helm', 'provision.sh');

/** The version test/helm/versions.sh pins (the one home of that fact). */
const HELM_VERSION = /^HELM_VERSION=(\S+)$/m.exec(readFileSync(join(REPO, 'test', 'helm', 'versions.sh'), 'utf8'))![1];
const cache = join(process.env.THINKUBE_JH_CACHE ?? join(homedir(), '.cache', 'cdk8s-thinkube-jupyterhub'), 'helm');

/** The helm binary provision.sh builds. */
export const helmPath = join(cache, HELM_VERSION, 'bin', 'helm');

/** The cached archive of a chart version, as `helm pull` (or the offline fallback) left it. */
export const chartArchive = (version: string): string => join(cache, 'charts', `jupyterhub-${version}.tgz`);

/** Why the real-chart tier cannot run here (helm not built, a chart not fetched), or undefined. */
export function helmUnavailableReason(): string | undefined {
  return scriptCheckReason(provisionScript);
}

export interface HelmResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs helm with `args`; never throws on a non-zero exit. */
export function helm(args: readonly string[], env: NodeJS.ProcessEnv = {}): HelmResult {
  const result = spawnSync(helmPath, args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr ?? String(result.error ?? '') };
}

/** Runs helm and returns stdout; throws with helm's stderr on failure. */
export function helmOk(args: readonly string[], env: NodeJS.ProcessEnv = {}): string {
  const result = helm(args, env);
  if (result.status !== 0) throw new Error(`helm ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  return result.stdout;
}

/** Writes `values` to a temp file for `-f`; the caller's callback gets its path. */
export function withValuesFile<T>(values: Record<string, unknown>, use: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'tjh-values-'));
  try {
    const file = join(dir, 'values.yaml');
    // YAML 1.1 as helm reads it, like the HelmChart's valuesContent: in 1.2 a
    // string "yes" would lose its quotes and reach the chart as a boolean.
    writeFileSync(file, stringify(values, { version: '1.1' }));
    return use(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ReleaseOptions {
  readonly release?: string;
  readonly namespace?: string;
}

/** The chart's objects for `values`, as `helm template` renders them (schema enforced). */
export function helmTemplate(values: Record<string, unknown>, chartVersion: string, options: ReleaseOptions = {}): Manifest[] {
  const stdout = withValuesFile(values, (file) => helmOk([
    'template', options.release ?? 'jupyterhub', chartArchive(chartVersion),
    '--namespace', options.namespace ?? 'jupyterhub', '-f', file,
  ]));
  return parseAllDocuments(stdout).map((d) => d.toJS()).filter((m): m is Manifest => m !== null);
}
