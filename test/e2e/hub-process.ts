/**
 * The hub and proxy pods as the chart runs them (test/python/run_chart_hub.py):
 * helm renders the chart with the values, the hub's files are laid out where
 * its Deployment mounts them, and the chart's own jupyterhub_config.py runs
 * with the Deployment's args and env, in private mount and network namespaces
 * (test/support/hub-pod.sh) where it binds its fixed ports as in the cluster.
 * The namespace's loopback is joined to the host's through unix sockets
 * (socat): the proxy's port 8000 appears on the host at 127.0.0.1:<port>, and
 * Keycloak, the API server and thinkube-control appear inside at their host
 * addresses. One process per configuration; stop() ends all of it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO } from '../support/run-synth.js';

const runner = join(REPO, 'test', 'python', 'run_chart_hub.py');
const hubPod = join(REPO, 'test', 'support', 'hub-pod.sh');
const proxyCommand = join(REPO, 'node_modules', '.bin', 'configurable-http-proxy');

export interface HubOptions {
  /** The venv's python (test/python/venv-path.sh). */
  readonly python: string;
  /** The Z2JH values the HelmChart carries. */
  readonly values: Record<string, unknown>;
  /** The HelmChart's chart version. */
  readonly chartVersion: string;
  /** The public port; the values' URLs (callback, logout) name it. */
  readonly port: number;
  /** Namespace of the Secrets and of the user pods. */
  readonly namespace: string;
  /** For KubeSpawner and for reading the hub.extraEnv Secrets. */
  readonly kubeconfig: string;
  readonly kubectl: string;
  /** Host ports the hub must reach (Keycloak, the API server, thinkube-control). */
  readonly reach: readonly number[];
}

export interface HubProcess {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** The hub's and the proxy's log so far. */
  log(): Promise<string>;
  stop(): Promise<void>;
}

function socat(args: string[], out: NodeJS.WritableStream): ChildProcess {
  const child = spawn('socat', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(out, { end: false });
  child.stderr!.pipe(out, { end: false });
  return child;
}

export async function startHub(options: HubOptions): Promise<HubProcess> {
  const state = await mkdtemp(join(tmpdir(), 'thinkube-e2e-hub-'));
  const valuesFile = join(state, 'values.json');
  // JSON, because the hub's YAML 1.1 loader would read an unquoted `yes` as true.
  await writeFile(valuesFile, JSON.stringify(options.values));
  const url = `http://127.0.0.1:${options.port}`;
  const logFile = join(state, 'hub.log');
  const out = createWriteStream(logFile);
  const bridges = [
    socat([`TCP-LISTEN:${options.port},bind=127.0.0.1,fork,reuseaddr`, `UNIX-CONNECT:${state}/public.sock`], out),
    ...options.reach.map((port) => socat([`UNIX-LISTEN:${state}/reach-${port}.sock,fork`, `TCP:127.0.0.1:${port}`], out)),
  ];
  const args = [hubPod, dirname(dirname(options.python)), options.python, runner,
    '--values', valuesFile, '--chart-version', options.chartVersion, '--namespace', options.namespace,
    '--state', state, '--proxy-command', proxyCommand, '--kubectl', options.kubectl, '--expose',
    ...options.reach.flatMap((port) => ['--reach', String(port)])];
  const child = spawn('bash', args, {
    // Its own process group, so that stop() also reaches the pods it started.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, KUBECONFIG: options.kubeconfig, THINKUBE_HUB_POD_NET: '1' },
  });
  child.stdout.pipe(out, { end: false });
  child.stderr.pipe(out, { end: false });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log = (): Promise<string> => readFile(logFile, 'utf8').catch(() => '');
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid!, 'SIGTERM');
      const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    for (const bridge of bridges) bridge.kill();
    out.end();
    await rm(state, { recursive: true, force: true });
  };

  const deadline = Date.now() + 90_000;
  for (;;) {
    const health = await fetch(`${url}/hub/health`).then((r) => r.status, () => 0);
    if (health === 200) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      const tail = (await log()).split('\n').slice(-25).join('\n');
      await stop();
      throw new Error(`the hub did not become healthy on ${url}; last log lines:\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, log, stop };
}
