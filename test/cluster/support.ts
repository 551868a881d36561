import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { REPO, type SynthRun, runSynth } from '../support/run-synth.js';

/** Synthesizes `config` into a fresh dist/ for `kubectl apply -f`. */
export function synthFor(config: Record<string, unknown>): SynthRun {
  const run = runSynth({ config });
  if (run.status !== 0) throw new Error(`synth failed: ${run.stderr}`);
  return run;
}

/** Writes `config` to a file for THINKUBE_JH_CONFIG. */
export function configFile(dir: string, config: Record<string, unknown>): string {
  const file = join(dir, 'jupyterhub.config.yaml');
  writeFileSync(file, stringify(config));
  return file;
}

/** The hub venv's python, or why it is missing (test/python/provision.sh makes it). */
export function hubPython(): { python?: string; reason?: string } {
  const venv = execFileSync('bash', ['-c', `source ${join(REPO, 'test/python/venv-path.sh')} && echo "$HUB_VENV"`], { encoding: 'utf8' }).trim();
  const python = join(venv, 'bin', 'python');
  return existsSync(python) ? { python } : { reason: `hub venv ${venv} is missing (bash test/python/provision.sh)` };
}

/** The pod a real KubeSpawner builds for `username` from the values synthesized for `configPath`. */
export function kubeSpawnerPod(python: string, configPath: string, username = 'alice'): Record<string, any> {
  // The chart's own hub config runs in the hub pod's filesystem layout.
  const venv = dirname(dirname(python));
  const result = spawnSync('bash', [join(REPO, 'test/support/hub-pod.sh'), venv, python, join(REPO, 'test/cluster/notebook_pod.py'), username], {
    cwd: REPO, env: { ...process.env, THINKUBE_JH_CONFIG: configPath }, encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`notebook_pod.py failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}
