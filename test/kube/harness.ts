/**
 * The TypeScript face of the kube test tier: a real kube-apiserver (with etcd
 * and kube-controller-manager) run by apiserver.sh, which is the single
 * implementation shared with harness.py.
 *
 *   describe.skipIf(tierUnavailable('kube', kubeUnavailableReason()))('...', () => {
 *     const kube = useKube(); // see use-kube.ts
 *     it('...', async () => { await kube().kubectlOk(['get', 'ns']); });
 *   });
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scriptCheckReason } from '../support/tier.js';

const apiserverScript = join(dirname(fileURLToPath(import.meta.url)), 'apiserver.sh');

export interface CommandResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface KubectlOptions {
  /** Written to kubectl's stdin (e.g. a manifest for `apply -f -`). */
  input?: string;
  /** Another kubeconfig, e.g. from serviceAccountKubeconfig(); default: the admin one. */
  kubeconfig?: string;
  timeoutMs?: number;
}

export interface KubeHarness {
  /** Kubeconfig of a cluster-admin (system:masters) client-certificate identity. */
  kubeconfig: string;
  /** https://127.0.0.1:<port> */
  server: string;
  /** CA that signed the API server's serving certificate. */
  caFile: string;
  /** Directory holding kubectl, kube-apiserver, kube-controller-manager, etcd. */
  binDir: string;
  /** The kubectl built with the server, same version. */
  kubectlPath: string;
  /** Kubernetes version, e.g. v1.36.3. */
  version: string;
  /** Certificates, data, logs and kubeconfigs of this control plane. */
  stateDir: string;
  /** process.env plus KUBECONFIG (admin) and PATH starting with binDir: for spawning scripts. */
  env: NodeJS.ProcessEnv;
  /** Runs kubectl; never throws on a non-zero exit, check `code`. */
  kubectl(args: string[], opts?: KubectlOptions): Promise<CommandResult>;
  /** Runs kubectl and returns stdout; throws with stderr on a non-zero exit. */
  kubectlOk(args: string[], opts?: KubectlOptions): Promise<string>;
  /** Writes a kubeconfig that authenticates as the ServiceAccount with a fresh `kubectl create token`; returns its path. */
  serviceAccountKubeconfig(namespace: string, serviceAccount: string): Promise<string>;
  /** Stops the control plane and deletes stateDir. */
  stop(): Promise<void>;
}

export interface StartKubeOptions {
  /** Reuse this state dir (start is a no-op if it already runs); default: a fresh temp dir. */
  stateDir?: string;
}

/** Why the kube tier cannot run here (binaries not built, tools missing), or undefined. */
export function kubeUnavailableReason(): string | undefined {
  return scriptCheckReason(apiserverScript);
}

function run(
  command: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: opts.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: opts.timeoutMs ?? 120_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({ stdout, stderr, code: code ?? (signal ? 128 : 1) });
    });
    // A command that exits without reading its input (an early error) closes the
    // pipe: the exit code and stderr tell what happened, not the EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

async function apiserver(stateDir: string, args: string[], timeoutMs = 300_000): Promise<string> {
  // The owner pid lets the plane stop itself if this process dies without stop().
  const env = { ...process.env, THINKUBE_KUBE_STATE: stateDir, THINKUBE_KUBE_OWNER_PID: String(process.pid) };
  const result = await run('bash', [apiserverScript, ...args], { env, timeoutMs });
  if (result.code !== 0) {
    throw new Error(`apiserver.sh ${args[0]} failed (${result.code}): ${result.stderr.trim()}`);
  }
  return result.stdout;
}

/** Parses the `export NAME='value'` lines that `apiserver.sh env` prints. */
function parseExports(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^export ([A-Z_]+)='([^']*)'$/.exec(line);
    if (match) vars[match[1]] = match[2];
  }
  return vars;
}

/** Starts a control plane (or returns undefined when the tier is unavailable). */
export async function startKube(options: StartKubeOptions = {}): Promise<KubeHarness | undefined> {
  if (kubeUnavailableReason() !== undefined) return undefined;
  const stateDir = options.stateDir ?? await mkdtemp(join(tmpdir(), 'thinkube-kube-'));
  try {
    await apiserver(stateDir, ['start']);
  } catch (error) {
    await apiserver(stateDir, ['stop']).catch(() => undefined);
    throw error;
  }
  const vars = parseExports(await apiserver(stateDir, ['env']));
  const required = (name: string): string => {
    const value = vars[name];
    if (value === undefined) throw new Error(`apiserver.sh env did not print ${name}`);
    return value;
  };
  const kubeconfig = required('KUBECONFIG');
  const kubectlPath = required('KUBECTL');
  const binDir = required('KUBE_BIN');
  const env = { ...process.env, KUBECONFIG: kubeconfig, PATH: `${binDir}:${process.env.PATH ?? ''}` };
  let sequence = 0;

  const kubectl = (args: string[], opts: KubectlOptions = {}): Promise<CommandResult> =>
    run(kubectlPath, ['--kubeconfig', opts.kubeconfig ?? kubeconfig, ...args], {
      env,
      input: opts.input,
      timeoutMs: opts.timeoutMs ?? 60_000,
    });

  return {
    kubeconfig,
    server: required('KUBE_SERVER'),
    caFile: required('KUBE_CA_FILE'),
    binDir,
    kubectlPath,
    version: required('KUBE_VERSION'),
    stateDir,
    env,
    kubectl,
    async kubectlOk(args, opts) {
      const result = await kubectl(args, opts);
      if (result.code !== 0) {
        throw new Error(`kubectl ${args.join(' ')} failed (${result.code}): ${result.stderr.trim()}`);
      }
      return result.stdout;
    },
    async serviceAccountKubeconfig(namespace, serviceAccount) {
      sequence += 1;
      const file = join(stateDir, `sa-${sequence}-${namespace}-${serviceAccount}.kubeconfig`);
      await apiserver(stateDir, ['sa-kubeconfig', namespace, serviceAccount, file], 60_000);
      return file;
    },
    async stop() {
      await apiserver(stateDir, ['stop'], 60_000);
    },
  };
}
