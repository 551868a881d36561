/**
 * A real JupyterHub (the hub-runtime venv) with configurable-http-proxy from
 * node_modules, configured by hub_config.py from a values file. One process
 * per configuration; stop() ends the hub and the proxy it started.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../keycloak/harness.js';
import { REPO } from '../support/run-synth.js';

const configFile = join(REPO, 'test', 'e2e', 'hub_config.py');
const proxyCommand = join(REPO, 'node_modules', '.bin', 'configurable-http-proxy');

export interface HubOptions {
  /** The venv's python (test/python/venv-path.sh). */
  readonly python: string;
  /** The Z2JH values the HelmChart carries. */
  readonly values: Record<string, unknown>;
  /** The public port; the values' URLs (callback, logout) name it. */
  readonly port: number;
  /** Namespace of the Secrets and of the user pods. */
  readonly namespace: string;
  /** For KubeSpawner and for reading the hub.extraEnv Secrets. */
  readonly kubeconfig: string;
  readonly kubectl: string;
}

export interface HubProcess {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** The hub's and the proxy's log so far. */
  log(): Promise<string>;
  stop(): Promise<void>;
}

export async function startHub(options: HubOptions): Promise<HubProcess> {
  const state = await mkdtemp(join(tmpdir(), 'thinkube-e2e-hub-'));
  const valuesFile = join(state, 'values.json');
  // JSON, because the hub's YAML 1.1 loader would read an unquoted `yes` as true.
  await writeFile(valuesFile, JSON.stringify(options.values));
  const url = `http://127.0.0.1:${options.port}`;
  const logFile = join(state, 'hub.log');
  const out = createWriteStream(logFile);
  const child = spawn(options.python, ['-m', 'jupyterhub', '-f', configFile], {
    cwd: state,
    // Its own process group, so that stop() also reaches the proxy the hub started.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      KUBECONFIG: options.kubeconfig,
      E2E_VALUES: valuesFile,
      E2E_STATE: state,
      E2E_HUB_URL: url,
      E2E_HUB_PORT: String(await freePort()),
      E2E_PROXY_API_PORT: String(await freePort()),
      E2E_PROXY_COMMAND: proxyCommand,
      E2E_KUBECTL: options.kubectl,
      E2E_NAMESPACE: options.namespace,
    },
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log = (): Promise<string> => readFile(logFile, 'utf8').catch(() => '');
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid!, 'SIGTERM');
      const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
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
