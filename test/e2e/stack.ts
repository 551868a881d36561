/**
 * Everything around the browser in the end-to-end chain, set up as a user
 * would: a real Keycloak on the machine, the test cluster with its real node
 * (test/node), the fake thinkube-control, a config file pointing at them,
 * `npm run bootstrap:keycloak`, `npm run synth`, `kubectl apply` of the output
 * and the chart installed by the real helm from the HelmChart's values
 * (test/node/hub-install.ts). The hub and proxy then run as pods on the node,
 * and KubeSpawner starts the notebooks there.
 *
 * Keycloak and the fake thinkube-control listen on the machine's 127.0.0.1;
 * `node.publish` makes them reachable inside the cluster's network namespace
 * at the node's address, where the hub pod and the browser reach them under
 * one URL each (the bootstrap runs inside too, so the issuer, the redirect
 * URIs and the token endpoint are the same for all).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type KeycloakHarness, keycloakUnavailableReason, startKeycloak } from '../keycloak/harness.js';
import { TEST_GROUPS } from '../keycloak/realm-fixture.js';
import { type KubeHarness, nodeUnavailableReason, startKube } from '../kube/harness.js';
import { type HubOnNode, installHubOnNode, testConfig } from '../node/hub-install.js';
import { type FakeThinkubeControl, startFakeThinkubeControl } from '../support/fake-thinkube-control.js';
import { helmUnavailableReason } from '../support/helm.js';
import { REPO } from '../support/run-synth.js';
import { CHROMIUM } from './browser.js';

export const NAMESPACE = 'jupyterhub';
export const HUB_HOST = 'jupyter.thinkube.test';
/** A host the hub moves to in the misconfiguration test, without the bootstrap run again. */
export const MOVED_HUB_HOST = 'jupyter2.thinkube.test';
const cli = join(REPO, 'lib', 'cli', 'index.ts');
const tsx = join(REPO, 'node_modules', '.bin', 'tsx');
/** Where Keycloak and thinkube-control answer inside the cluster's namespace (on the node's address). */
const KEYCLOAK_PORT = 8080;
const CONTROL_PORT = 8000;

/** A service discovery ConfigMap (shared/contracts/service-discovery.md) whose variable the notebooks must see. */
export const DISCOVERED = { namespace: 'gitea', name: 'E2E_GITEA_URL', value: 'https://git.thinkube.test/ünïcode?a=1&b=$HOME' };

/** The notebook images of the test, as thinkube-control lists them, with their family. */
export const IMAGES = [
  { name: 'tk-jupyter-scipy', label: 'Scientific Python', family: 'docker-stacks' },
  { name: 'tk-jupyter-ml-cpu', label: 'Machine Learning (CPU)', family: 'thinkube' },
  { name: 'tk-jupyter-ml-gpu', label: 'Machine Learning (GPU)', family: 'thinkube' },
] as const;

/** Why the end-to-end tier cannot run here, or undefined. */
export function e2eUnavailableReason(): string | undefined {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} missing (bash test/e2e/provision.sh installs Debian's chromium)`;
  const helm = helmUnavailableReason();
  if (helm !== undefined) return `helm: ${helm}`;
  const keycloak = keycloakUnavailableReason();
  if (keycloak !== undefined) return `keycloak: ${keycloak}`;
  const node = nodeUnavailableReason();
  return node === undefined ? undefined : `node: ${node}`;
}

export interface Stack {
  readonly keycloak: KeycloakHarness;
  readonly kube: KubeHarness;
  readonly control: FakeThinkubeControl;
  readonly hub: HubOnNode;
  /** The hub's public URL (hubUrl), which the browser inside the namespace resolves to proxy-public. */
  readonly hubUrl: string;
  /** Keycloak's URL as the hub and the browser use it (inside the namespace). */
  readonly keycloakUrl: string;
  /** proxy-public's ClusterIP. */
  readonly proxyAddress: string;
  /** The hub API token of the test's service (testOverlay). */
  readonly apiToken: string;
  /** The config file's content (input to synth and bootstrap). */
  readonly config: Record<string, unknown>;
  /** The bootstrap's stdout and stderr, to check that no secret leaks. */
  readonly bootstrapOutput: string;
  /** Seconds per stage, for the timing report. */
  readonly seconds: Record<string, number>;
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

/** `npm run bootstrap:keycloak` inside the cluster's network namespace, where Keycloak has the URL the hub uses. */
function bootstrap(configFile: string, keycloak: KeycloakHarness, kube: KubeHarness): string {
  const [command, ...args] = kube.node!.netExec.command;
  const result = spawnSync(command, [...args, tsx, cli, 'bootstrap-keycloak'], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 120_000,
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME, ...kube.node!.netExec.env,
      THINKUBE_JH_CONFIG: configFile, KUBECONFIG: kube.kubeconfig, ADMIN_PASSWORD: keycloak.admin.password,
    },
  });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) throw new Error(`npm run bootstrap:keycloak failed (${result.status}):\n${output}`);
  return output;
}

/** thinkube-control's answers for this cluster: the node's registry images and the node itself. */
async function seedControl(control: FakeThinkubeControl, kube: KubeHarness): Promise<void> {
  const registry = kube.node!.registry;
  const images = IMAGES.map((image, index) => ({
    name: image.name,
    display_name: image.label,
    description: `Jupyter notebook: ${image.label}`,
    default: index === 0,
    metadata: { image_size: 1073741824, registry, repository: `library/${image.name}`, tag: '1' },
  }));
  const node = JSON.parse(await kube.kubectlOk(['get', 'node', kube.node!.name, '-o', 'json']));
  const cpu = Number.parseInt(node.status.allocatable.cpu, 10);
  const resources = [{
    name: kube.node!.name,
    capacity: { cpu, memory: '8Gi', gpu: 0, effective_gpu: 0 },
    allocated: { cpu: 0, memory: '0Gi', gpu: 0 },
    available: { cpu, memory: '8Gi', gpu: 0 },
    gpu_details: [],
  }];
  await control.data({
    '/images/jupyter': images,
    '/cluster/resources': resources,
    '/jupyterhub/config': {
      id: '6f1c2d4e-0000-4000-8000-00000000e2e0', default_node: kube.node!.name, default_cpu_cores: 1, default_memory_gb: 1,
      default_gpu_count: 0, created_at: '2026-01-01T00:00:00', updated_at: '2026-01-01T00:00:00',
    },
  });
}

async function publishDiscoveredService(kube: KubeHarness): Promise<void> {
  const service = {
    service: {
      name: 'gitea', display_name: 'Gitea', type: 'core',
      environment_variables: [{ name: DISCOVERED.name, value: DISCOVERED.value }],
    },
  };
  await kube.kubectlOk(['apply', '-f', '-'], {
    input: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: DISCOVERED.namespace } },
      {
        apiVersion: 'v1', kind: 'ConfigMap',
        metadata: { name: 'thinkube-service-config', namespace: DISCOVERED.namespace, labels: { 'thinkube.io/managed': 'true' } },
        data: { 'service.yaml': stringify(service) },
      },
    ].map((o) => stringify(o)).join('---\n'),
  });
}

export async function startStack(): Promise<Stack> {
  const seconds: Record<string, number> = {};
  const dir = mkdtempSync(join(tmpdir(), 'thinkube-e2e-'));
  const started: { stop(): Promise<unknown> }[] = [];
  const stop = async (): Promise<void> => {
    await Promise.allSettled(started.reverse().map((part) => part.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const [keycloak, kube] = await timed(seconds, 'keycloak+node start', () => Promise.all([
      startKeycloak().then((k) => { started.push(k); return k; }),
      startKube({ node: true }).then((k) => {
        if (k === undefined) throw new Error('the node tier is unavailable');
        started.push(k);
        return k;
      }),
    ]));
    const node = kube.node!;
    const control = await startFakeThinkubeControl();
    started.push(control);
    await seedControl(control, kube);
    const keycloakUrl = `http://${await node.publish(Number(new URL(keycloak.url).port), KEYCLOAK_PORT)}`;
    const controlUrl = `http://${await node.publish(Number(new URL(control.baseUrl).port), CONTROL_PORT)}/api/v1`;
    const hubUrl = `http://${HUB_HOST}`;
    const config = {
      ...testConfig(node.registry),
      domainName: 'thinkube.test',
      hubUrl,
      // Not a user of the realm: the admin test's user is admin by the Keycloak group alone.
      adminUsers: ['ops'],
      keycloak: {
        url: keycloakUrl, realm: keycloak.realm, adminUsername: keycloak.admin.username, logoutRedirectUrl: hubUrl,
        allowedGroups: [TEST_GROUPS.users], adminGroups: [TEST_GROUPS.admins],
      },
      thinkubeControl: { url: controlUrl },
      tls: { copyWildcardCertificate: false },
      // Small guarantees: two users' notebooks, the hub and the proxy share the node's 2 cores.
      resources: { cpuGuarantee: 0.5, memoryGuaranteeGi: 0.5 },
      // The culler's proof is test/node/hub-on-node.test.ts; here it must not stop a server mid-test.
      culling: { timeoutSeconds: 3600, everySeconds: 600 },
    };
    // The README's order: bootstrap, synth, kubectl apply (+ the chart, by helm here).
    const configFile = join(dir, 'jupyterhub.config.yaml');
    writeFileSync(configFile, stringify(config));
    const bootstrapOutput = await timed(seconds, 'bootstrap', async () => bootstrap(configFile, keycloak, kube));
    await publishDiscoveredService(kube);
    const apiToken = randomBytes(32).toString('hex');
    const hub = await timed(seconds, 'apply + helm install -> hub Ready', () => installHubOnNode(kube, apiToken, { config, oidcSecretExists: true }));
    const proxyAddress = (await kube.kubectlOk(['-n', hub.namespace, 'get', 'service', 'proxy-public', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
    return { keycloak, kube, control, hub, hubUrl, keycloakUrl, proxyAddress, apiToken, config, bootstrapOutput, seconds, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
