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
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProcess } from '../support/process.js';
import { scriptCheckReason } from '../support/tier.js';

const apiserverScript = join(dirname(fileURLToPath(import.meta.url)), 'apiserver.sh');
const nodeScript = join(dirname(fileURLToPath(import.meta.url)), '..', 'node', 'node.sh');
/** kubectl calls slower than this are reported: a stalled plane shows there first. */
const SLOW_KUBECTL_SECONDS = 10;

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
  /** Stops the control plane (and the node) and deletes stateDir. */
  stop(): Promise<void>;
  /** The node, when started with `node: true`. */
  node?: KubeNode;
}

/** The real node of test/node/node.sh: the whole cluster runs inside its network namespace. */
export interface KubeNode {
  /** The Node object's name. */
  name: string;
  /** The network namespace (`ip netns`) holding the cluster; private-range addresses exist only there. */
  netns: string;
  /** The node's InternalIP (inside the namespace only). */
  ip: string;
  /** containerd's CRI socket. */
  containerdSocket: string;
  /** containerd's registry host configuration directory (certs.d). */
  registryConfigDir: string;
  /** The registry name pods pull from (`<registry>/library/NAME:TAG`), standing in for Harbor. */
  registry: string;
  /** Runs a command inside the cluster's network namespace; never throws on a non-zero exit. */
  exec(args: string[], opts?: { input?: string; timeoutMs?: number }): Promise<CommandResult>;
  /**
   * The command line that runs a program inside the cluster's network
   * namespace with the machine's mounts (`node.sh exec-net`), e.g. for a
   * browser or a CLI that reads the work tree; run it with `env`.
   */
  readonly netExec: { readonly command: string[]; readonly env: Record<string, string> };
  /** Makes the machine's 127.0.0.1:hostPort reachable inside as `<ip>:port` (for pods and a browser inside); returns `<ip>:port`. */
  publish(hostPort: number, port: number): Promise<string>;
}

export interface StartKubeOptions {
  /** Reuse this state dir (start is a no-op if it already runs); default: a fresh temp dir. */
  stateDir?: string;
  /** Also run a real node (kubelet, containerd, CNI, kube-proxy, CoreDNS), the whole cluster in a network namespace. */
  node?: boolean;
  /**
   * With `node`: also run kube-router's NetworkPolicy controller on the node, so
   * that policies are enforced (test/node/README.md).
   * @default false - policies are stored but not enforced
   */
  networkPolicy?: boolean;
}

/** Why the kube tier cannot run here (binaries not built, tools missing), or undefined. */
export function kubeUnavailableReason(): string | undefined {
  return scriptCheckReason(apiserverScript);
}

/** Why the node tier cannot run here (node not provisioned, not root...), or undefined. */
export function nodeUnavailableReason(): string | undefined {
  return scriptCheckReason(nodeScript);
}

function run(
  command: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): Promise<CommandResult> {
  return runProcess(command, args, opts);
}

async function script(path: string, env: NodeJS.ProcessEnv, args: string[], timeoutMs: number): Promise<string> {
  const result = await run('bash', [path, ...args], { env: { ...process.env, ...env }, timeoutMs });
  if (result.code !== 0) {
    throw new Error(`${path.split('/').pop()} ${args[0]} failed (${result.code}): ${result.stderr.trim()}`);
  }
  return result.stdout;
}

// The owner pid lets the plane (and node) stop itself if this process dies without stop().
const apiserver = (stateDir: string, args: string[], timeoutMs = 300_000): Promise<string> =>
  script(apiserverScript, { THINKUBE_KUBE_STATE: stateDir, THINKUBE_KUBE_OWNER_PID: String(process.pid) }, args, timeoutMs);

const node = (stateDir: string, args: string[], timeoutMs = 300_000, env: NodeJS.ProcessEnv = {}): Promise<string> =>
  script(nodeScript, { ...env, THINKUBE_NODE_STATE: stateDir, THINKUBE_NODE_OWNER_PID: String(process.pid) }, args, timeoutMs);

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
  if (options.node === true && nodeUnavailableReason() !== undefined) return undefined;
  const stateDir = options.stateDir ?? await mkdtemp(join(tmpdir(), 'thinkube-kube-'));
  // With a node, node.sh owns the whole cluster; its control plane's state is a subdirectory.
  const nodeEnv = { THINKUBE_NODE_NETWORK_POLICY: options.networkPolicy === true ? '1' : '0' };
  const control = options.node === true
    ? { command: (args: string[]) => node(stateDir, args, undefined, nodeEnv), stateDir: join(stateDir, 'kube') }
    : { command: (args: string[]) => apiserver(stateDir, args), stateDir };
  try {
    await control.command(['start']);
  } catch (error) {
    await control.command(['stop']).catch(() => undefined);
    throw error;
  }
  const vars = parseExports(await control.command(['env']));
  const required = (name: string): string => {
    const value = vars[name];
    if (value === undefined) throw new Error(`apiserver.sh env did not print ${name}`);
    return value;
  };
  const kubeconfig = required('KUBECONFIG');
  const kubectlPath = required('KUBECTL');
  const binDir = required('KUBE_BIN');
  // kubectl's discovery cache is keyed by host:port, and ports are reused by later planes: each plane has its own.
  const env = {
    ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(control.stateDir, 'kubectl-cache'), PATH: `${binDir}:${process.env.PATH ?? ''}`,
  };
  let sequence = 0;

  const kubectl = async (args: string[], opts: KubectlOptions = {}): Promise<CommandResult> => {
    const started = Date.now();
    const result = await run(kubectlPath, ['--kubeconfig', opts.kubeconfig ?? kubeconfig, ...args], {
      env,
      input: opts.input,
      timeoutMs: opts.timeoutMs ?? 60_000,
    });
    // A test timeout alone does not say which call waited.
    const seconds = (Date.now() - started) / 1000;
    if (seconds > SLOW_KUBECTL_SECONDS) console.warn(`kube: kubectl ${args.join(' ')} took ${seconds.toFixed(1)} s (exit ${result.code})`);
    return result;
  };

  return {
    kubeconfig,
    server: required('KUBE_SERVER'),
    caFile: required('KUBE_CA_FILE'),
    binDir,
    kubectlPath,
    version: required('KUBE_VERSION'),
    stateDir: control.stateDir,
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
      const file = join(control.stateDir, `sa-${sequence}-${namespace}-${serviceAccount}.kubeconfig`);
      await apiserver(control.stateDir, ['sa-kubeconfig', namespace, serviceAccount, file], 60_000);
      return file;
    },
    async stop() {
      await control.command(['stop']);
    },
    node: options.node === true
      ? {
        name: required('NODE_NAME'),
        netns: required('NODE_NETNS'),
        ip: required('NODE_IP'),
        containerdSocket: required('NODE_CONTAINERD_SOCKET'),
        registryConfigDir: required('NODE_REGISTRY_CONFIG_DIR'),
        registry: required('NODE_REGISTRY'),
        exec: (args, opts = {}) => run('bash', [nodeScript, 'exec', ...args], {
          env: { ...process.env, THINKUBE_NODE_STATE: stateDir },
          input: opts.input,
          timeoutMs: opts.timeoutMs ?? 60_000,
        }),
        netExec: { command: ['bash', nodeScript, 'exec-net'], env: { THINKUBE_NODE_STATE: stateDir } },
        async publish(hostPort, port) {
          await node(stateDir, ['publish', String(hostPort), String(port)], 30_000);
          return `${required('NODE_IP')}:${port}`;
        },
      }
      : undefined,
  };
}
