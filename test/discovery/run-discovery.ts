/**
 * Runs lib/discovery/service-discovery-init.sh the way the init container
 * does (bash, kubectl, jq and yq on a bare PATH, a kubeconfig of the
 * discovery ServiceAccount) and reads back what it wrote by sourcing it.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { kubeUnavailableReason } from '../kube/harness.js';

const here = dirname(fileURLToPath(import.meta.url));
export const discoveryScript = join(here, '..', '..', 'lib', 'discovery', 'service-discovery-init.sh');
const execFileAsync = promisify(execFile);

/** Where test/discovery/provision.sh caches mikefarah yq. */
export function yqBinDir(): string {
  return execFileSync('bash', ['-c', 'source "$1" && printf %s "$YQ_BIN"', 'versions', join(here, 'versions.sh')], {
    encoding: 'utf8',
  });
}

/** Why the discovery tests cannot run here, or undefined. */
export function discoveryUnavailableReason(): string | undefined {
  const kube = kubeUnavailableReason();
  if (kube !== undefined) return kube;
  try {
    execFileSync(join(yqBinDir(), 'yq'), ['--version'], { stdio: 'ignore' });
  } catch {
    return `mikefarah yq is not built in ${yqBinDir()} (run test/discovery/provision.sh)`;
  }
  try {
    execFileSync('jq', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'jq is not installed (apt-get install -y jq)';
  }
  return undefined;
}

export interface DiscoveryRunOptions {
  /** A kubeconfig authenticating as the discovery ServiceAccount. */
  kubeconfig: string;
  /** Directory holding the kubectl to use. */
  kubeBinDir: string;
  /** Scratch directory of this run (the call log, HOME). */
  workDir: string;
  /** Default: <workDir>/home/jovyan/.config/thinkube/service-env.sh */
  envFile?: string;
  selector?: string;
  /** Directory whose `yq` the script gets; default: the provisioned mikefarah yq. */
  yqDir?: string;
  /** Another script with the same interface (the benchmark's baseline). */
  script?: string;
  /** Log kubectl and yq calls through shims on PATH (adds a bash per call); default true. */
  countCalls?: boolean;
}

export interface DiscoveryRun {
  code: number;
  stdout: string;
  stderr: string;
  envFile: string;
  /** The arguments of every kubectl the script ran (one line each). */
  kubectlCalls: string[];
  yqCalls: number;
  wallMs: number;
}

/** kubectl and yq on PATH that log their arguments, then run the real ones. */
async function countingShims(dir: string, tools: Record<string, string>): Promise<string> {
  const log = join(dir, 'calls.log');
  await mkdir(dir, { recursive: true });
  await writeFile(log, '');
  for (const [name, real] of Object.entries(tools)) {
    const shim = join(dir, name);
    await writeFile(shim, `#!/usr/bin/env bash\nprintf '${name} %s\\n' "$*" >>${JSON.stringify(log)}\nexec ${JSON.stringify(real)} "$@"\n`);
    await chmod(shim, 0o755);
  }
  return log;
}

export async function runDiscovery(options: DiscoveryRunOptions): Promise<DiscoveryRun> {
  const envFile = options.envFile ?? join(options.workDir, 'home', 'jovyan', '.config', 'thinkube', 'service-env.sh');
  const yqDir = options.yqDir ?? yqBinDir();
  const shimDir = join(options.workDir, 'counting-shims');
  const log = options.countCalls === false ? undefined
    : await countingShims(shimDir, { kubectl: join(options.kubeBinDir, 'kubectl'), yq: join(yqDir, 'yq') });
  const path = [yqDir, options.kubeBinDir, '/usr/local/bin', '/usr/bin', '/bin'];
  const env: NodeJS.ProcessEnv = {
    PATH: (log === undefined ? path : [shimDir, ...path]).join(':'),
    HOME: options.workDir,
    KUBECONFIG: options.kubeconfig,
    THINKUBE_SERVICE_ENV_FILE: envFile,
    ...(options.selector === undefined ? {} : { THINKUBE_DISCOVERY_SELECTOR: options.selector }),
  };
  const started = performance.now();
  let result: { code: number; stdout: string; stderr: string };
  try {
    const { stdout, stderr } = await execFileAsync('bash', [options.script ?? discoveryScript], { env, timeout: 300_000 });
    result = { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    result = { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
  const wallMs = performance.now() - started;
  const calls = log === undefined ? [] : (await readFile(log, 'utf8')).split('\n').filter((line) => line !== '');
  return {
    ...result,
    envFile,
    kubectlCalls: calls.filter((c) => c.startsWith('kubectl ')).map((c) => c.slice('kubectl '.length)),
    yqCalls: calls.filter((c) => c.startsWith('yq ')).length,
    wallMs,
  };
}

/** Variables bash itself exports into any `env -i bash` environment. */
const bashOwn = new Set(['PWD', 'SHLVL', '_']);

/**
 * Sources the file in a bash with an empty environment and returns exactly
 * the environment it exported; throws if sourcing fails.
 */
export async function sourceEnvFile(file: string, cwd: string): Promise<Record<string, string>> {
  const { stdout } = await execFileAsync(
    'env', ['-i', 'bash', '--noprofile', '--norc', '-c', 'set -eu; . "$1"; env -0', 'source-env', file],
    { cwd, encoding: 'buffer' },
  );
  const vars: Record<string, string> = {};
  for (const entry of stdout.toString('utf8').split('\0')) {
    if (entry === '') continue;
    const eq = entry.indexOf('=');
    const name = entry.slice(0, eq);
    if (!bashOwn.has(name)) vars[name] = entry.slice(eq + 1);
  }
  return vars;
}
