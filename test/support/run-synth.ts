import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { tempDir } from './temp-dir.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

export interface SynthRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outdir: string;
  /** file name → content of each file written to outdir */
  readonly files: Record<string, string>;
}

/** Runs `npm run synth`'s entry point (tsx main.ts) as a user would, into a fresh outdir. */
export function runSynth(options: { config?: Record<string, unknown>; env?: NodeJS.ProcessEnv; outdir?: string } = {}): SynthRun {
  const work = tempDir('tjh-synth');
  const outdir = options.outdir ?? join(work, 'dist');
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, CDK8S_OUTDIR: outdir, ...options.env };
  if (options.config) {
    writeFileSync(join(work, 'config.yaml'), stringify(options.config));
    env.THINKUBE_JH_CONFIG = join(work, 'config.yaml');
  }
  const result = spawnSync(join(REPO, 'node_modules', '.bin', 'tsx'), [join(REPO, 'main.ts')], { cwd: work, env, encoding: 'utf8' });
  let files: Record<string, string>;
  try {
    files = Object.fromEntries(readdirSync(outdir).map((f) => [f, readFileSync(join(outdir, f), 'utf8')]));
  } catch {
    files = {};
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, outdir, files };
}
