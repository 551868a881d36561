/**
 * Everything around the hub in the end-to-end chain, as a user would set it
 * up: real Keycloak and a real kube-apiserver, the fake thinkube-control, a
 * config file pointing at them, `npm run synth`, `kubectl apply` of the
 * output (all but the HelmChart, whose values the local hub runs instead) and
 * `npm run bootstrap:keycloak`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { type KeycloakHarness, freePort, keycloakUnavailableReason, startKeycloak } from '../keycloak/harness.js';
import { type KubeHarness, kubeUnavailableReason, startKube } from '../kube/harness.js';
import { helmUnavailableReason } from '../support/helm.js';
import { REPO, runSynth } from '../support/run-synth.js';
import type { Manifest } from '../support/synth.js';
import { CHROMIUM } from './browser.js';
import { type FakeThinkubeControl, startFakeThinkubeControl } from '../support/fake-thinkube-control.js';

export const NAMESPACE = 'jupyterhub';
const cli = join(REPO, 'lib', 'cli', 'index.ts');
const tsx = join(REPO, 'node_modules', '.bin', 'tsx');

/** The hub-runtime venv's python (test/python/venv-path.sh), or undefined when it is not built. */
export function hubPython(): string | undefined {
  const venv = execFileSync('bash', ['-c', 'source test/python/venv-path.sh && echo "$HUB_VENV"'], { cwd: REPO, encoding: 'utf8' }).trim();
  return existsSync(join(venv, '.complete')) ? join(venv, 'bin', 'python') : undefined;
}

/** Why the end-to-end tier cannot run here, or undefined. */
export function e2eUnavailableReason(): string | undefined {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} missing (bash test/e2e/provision.sh installs Debian's chromium)`;
  if (!existsSync(join(REPO, 'node_modules', '.bin', 'configurable-http-proxy'))) return 'configurable-http-proxy missing (npm ci)';
  if (hubPython() === undefined) return 'the hub-runtime venv is not built (bash test/python/provision.sh)';
  for (const tool of ['socat', 'ip', 'unshare']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} missing (bash test/e2e/provision.sh)`;
  }
  const helm = helmUnavailableReason();
  if (helm !== undefined) return `helm: ${helm}`;
  if (!existsSync(cli)) return `the bootstrap command ${cli} does not exist yet`;
  const keycloak = keycloakUnavailableReason();
  if (keycloak !== undefined) return `keycloak: ${keycloak}`;
  const kube = kubeUnavailableReason();
  return kube === undefined ? undefined : `kube: ${kube}`;
}

export interface Stack {
  readonly keycloak: KeycloakHarness;
  readonly kube: KubeHarness;
  readonly control: FakeThinkubeControl;
  readonly python: string;
  /** The hub's public port, named by the synthesized URLs. */
  readonly hubPort: number;
  readonly hubUrl: string;
  /** The config file's content (input to synth and bootstrap). */
  readonly config: Record<string, unknown>;
  /** The synth output of `config`. */
  readonly manifests: Manifest[];
  /** The bootstrap's stdout and stderr, to check that no secret leaks. */
  readonly bootstrapOutput: string;
  /** Seconds per stage, for the timing report. */
  readonly seconds: Record<string, number>;
  /** Synthesizes another config and returns the manifests. */
  synth(config: Record<string, unknown>): Manifest[];
  stop(): Promise<void>;
}

async function timed<T>(seconds: Record<string, number>, stage: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    seconds[stage] = Math.round((performance.now() - started) / 100) / 10;
  }
}

function synthesize(dir: string, config: Record<string, unknown>): Manifest[] {
  const file = join(dir, `config-${Date.now()}.yaml`);
  writeFileSync(file, stringify(config));
  const run = runSynth({ env: { THINKUBE_JH_CONFIG: file } });
  if (run.status !== 0) throw new Error(`synth failed (${run.status}): ${run.stderr}`);
  return Object.values(run.files).flatMap((text) => parseAllDocuments(text).map((doc) => doc.toJS() as Manifest)).filter(Boolean);
}

function bootstrap(configFile: string, keycloak: KeycloakHarness, kube: KubeHarness): string {
  const result = spawnSync(tsx, [cli, 'bootstrap-keycloak'], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 120_000,
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME,
      THINKUBE_JH_CONFIG: configFile, KUBECONFIG: kube.kubeconfig, ADMIN_PASSWORD: keycloak.admin.password,
    },
  });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) throw new Error(`npm run bootstrap:keycloak failed (${result.status}):\n${output}`);
  return output;
}

export async function startStack(): Promise<Stack> {
  const python = hubPython();
  if (python === undefined) throw new Error('the hub-runtime venv is not built');
  const seconds: Record<string, number> = {};
  const dir = mkdtempSync(join(tmpdir(), 'thinkube-e2e-'));
  const started: { stop(): Promise<unknown> }[] = [];
  const stop = async (): Promise<void> => {
    await Promise.allSettled(started.reverse().map((part) => part.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const [keycloak, kube] = await timed(seconds, 'keycloak+kube start', () => Promise.all([
      startKeycloak().then((k) => { started.push(k); return k; }),
      startKube().then((k) => {
        if (k === undefined) throw new Error('the kube tier is unavailable');
        started.push(k);
        return k;
      }),
    ]));
    const control = await startFakeThinkubeControl(python);
    started.push(control);
    const hubPort = await freePort();
    const hubUrl = `http://127.0.0.1:${hubPort}`;
    const config = {
      domainName: 'e2e.test',
      hubUrl,
      adminUsers: [keycloak.users.admin.username],
      keycloak: { url: keycloak.url, realm: keycloak.realm, adminUsername: keycloak.admin.username, logoutRedirectUrl: hubUrl },
      thinkubeControl: { url: control.baseUrl },
      tls: { copyWildcardCertificate: false },
      // Short, so that the chart's idle-culler service visits the hub within the test.
      culling: { timeoutSeconds: 30, everySeconds: 5 },
    };
    // The README's order: bootstrap, synth, kubectl apply.
    const configFile = join(dir, 'jupyterhub.config.yaml');
    writeFileSync(configFile, stringify(config));
    const bootstrapOutput = await timed(seconds, 'bootstrap', async () => bootstrap(configFile, keycloak, kube));
    const manifests = await timed(seconds, 'synth', async () => synthesize(dir, config));
    await timed(seconds, 'kubectl apply', () => kube.kubectlOk(['apply', '-f', '-'], {
      input: manifests.filter((m) => m.kind !== 'HelmChart').map((m) => stringify(m)).join('---\n'),
    }));
    return {
      keycloak, kube, control, python, hubPort, hubUrl, config, manifests, bootstrapOutput, seconds,
      synth: (other) => synthesize(dir, other),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
