/**
 * The real thing runs (issue 9, phase 3): `kubectl apply` of what we
 * synthesize, then the Z2JH chart installed by the real helm from the
 * HelmChart's values, on the harness with a real node. The hub and the proxy
 * run as pods on the node, from images pulled from the registry standing in
 * for Harbor; the hub serves the branded login page through proxy-public and
 * spawns a notebook with its own ServiceAccount.
 *
 * What the test swaps, and why (everything else is what a cluster gets):
 * - hostPath PersistentVolumes stand in for JuiceFS (no storage provisioner
 *   here); the claims are ours and the chart's, bound by the real PV controller.
 * - thinkube-control is not deployed: the hub answers with its fallback profile.
 * - the test values overlay (below) names every chart setting it changes.
 */
import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import type { KubeHarness } from '../kube/harness.js';
import { useKube } from '../kube/use-kube.js';
import { chartArchive, helm, helmUnavailableReason } from '../support/helm.js';
import { runSynth } from '../support/run-synth.js';
import { type Manifest, find, valuesOf } from '../support/synth.js';
import { tierUnavailable } from '../support/tier.js';
import { nodeTierUnavailable } from './gate.js';

const unavailable = nodeTierUnavailable() || tierUnavailable('helm', helmUnavailableReason());

/** The user config of this test: our images from the node's registry, as from Harbor. */
const testConfig = (registry: string) => ({
  domainName: 'thinkube.test',
  harbor: { registry, project: 'library' },
  // The tags build-images.sh pushes (test/node/versions.sh NODE_REGISTRY_IMAGES).
  images: {
    tag: '1',
    fixPermissions: `${registry}/library/busybox:1.35`,
    cloneExamples: `${registry}/library/git:2.39`,
  },
});

/**
 * Test-only chart values, merged by helm over the HelmChart's (`-f values -f overlay`).
 * Each entry says why it differs from what a Thinkube cluster runs.
 */
const testOverlay = (registry: string, apiToken: string) => ({
  hub: {
    // The chart's hub image recipe, built here (build-images.sh k8s-hub): quay.io is unreachable.
    image: { name: `${registry}/library/k8s-hub`, tag: '4.4.0' },
    // An API client for the test to create a user and start a server, as an
    // admin would; per-run random token, never written to dist/.
    services: { 'node-test': { apiToken } },
    loadRoles: { 'node-test': { services: ['node-test'], scopes: ['admin:users', 'admin:servers', 'access:servers'] } },
  },
  proxy: {
    // configurable-http-proxy from npm (build-images.sh): 4.6.3, the last
    // release running on Debian 12's Node.js 18 (the chart pins 5.2.0, Node >= 20).
    chp: { image: { name: `${registry}/library/configurable-http-proxy`, tag: '4.6.3' } },
  },
  singleuser: {
    // The block-cloud-metadata init container's image (quay.io/jupyterhub/k8s-network-tools)
    // is not built here; there is no metadata server in the namespace to block either.
    cloudMetadata: { blockWithIptables: false },
  },
  prePuller: {
    // The continuous image puller runs; its pause container is the node's own
    // sandbox image (node.sh loads it), since registry.k8s.io is unreachable.
    pause: { image: { name: 'localhost/thinkube/pause', tag: '1' } },
  },
});

type Claim = Manifest & { spec: { storageClassName?: string; accessModes: string[]; resources: { requests: { storage: string } } } };

/** A hostPath PersistentVolume pre-bound to `claim`, in a directory of the cluster's state (deleted on stop). */
function volumeFor(kube: KubeHarness, claim: Claim, owner?: number): Record<string, unknown> {
  const path = join(kube.stateDir, 'volumes', claim.metadata.name);
  mkdirSync(path, { recursive: true });
  if (owner !== undefined) chownSync(path, owner, owner);
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: `node-test-${claim.metadata.name}` },
    spec: {
      storageClassName: claim.spec.storageClassName ?? '',
      capacity: { storage: claim.spec.resources.requests.storage },
      accessModes: claim.spec.accessModes,
      persistentVolumeReclaimPolicy: 'Retain',
      hostPath: { path, type: 'Directory' },
      claimRef: { namespace: claim.metadata.namespace, name: claim.metadata.name },
    },
  };
}

describe.skipIf(unavailable)('the hub and proxy run on a real node, installed by helm from the HelmChart values', () => {
  const kube = useKube({ node: true });
  // Stopping a node with the hub, the proxy and a notebook running outlasts useKube's 60 s hook;
  // stop is idempotent, so useKube's own stop after this one is a no-op.
  afterAll(async () => kube().stop(), 180_000);
  const apiToken = randomBytes(32).toString('hex');
  let namespace = '';
  const clientNamespace = 'node-test-client';

  /**
   * An HTTP request to proxy-public by its DNS name, from a client pod (curl
   * of tk-service-discovery): what a browser inside the cluster does, through
   * CoreDNS and kube-proxy. Returns status and body.
   */
  const request = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> => {
    const args = ['curl', '-sS', '-m', '20', '-X', method, '-w', '\n%{http_code}', `http://proxy-public.${namespace}.svc.cluster.local${path}`];
    // The token travels on stdin (a curl config), never on a command line.
    const config = path.startsWith('/hub/api/') ? `header = "Authorization: token ${apiToken}"\n` : '';
    args.push('-K', '-');
    if (body !== undefined) args.push('-H', 'Content-Type: application/json', '--data-raw', JSON.stringify(body));
    const result = await kube().kubectl(['-n', clientNamespace, 'exec', '-i', 'client', '--', ...args], { input: config, timeoutMs: 30_000 });
    if (result.code !== 0) throw new Error(`curl ${method} ${path} failed (${result.code}): ${result.stderr}`);
    const at = result.stdout.lastIndexOf('\n');
    return { status: Number(result.stdout.slice(at + 1)), body: result.stdout.slice(0, at) };
  };

  const podOf = async (selector: string) => JSON.parse(await kube().kubectlOk(['-n', namespace, 'get', 'pods', '-l', selector, '-o', 'json'])).items as
    { metadata: { name: string }; spec: { nodeName?: string; serviceAccountName: string; containers: { image: string; securityContext?: { runAsUser?: number } }[] }; status: { phase: string } }[];

  it('kubectl apply + helm upgrade --install: hub and proxy Ready on the node, the branded login page through proxy-public', async () => {
    const k = kube();
    const node = k.node!;
    const run = runSynth({ config: testConfig(node.registry) });
    expect(run.status, run.stderr).toBe(0);
    const manifests = Object.values(run.files).flatMap((text) => parseAllDocuments(text).map((d) => d.toJS() as Manifest));
    const chart = find(manifests, 'HelmChart') as Manifest & { spec: { version: string; targetNamespace: string; valuesContent: string } };
    namespace = chart.spec.targetNamespace;
    // Nothing reconciles a HelmChart here (no helm-controller); helm below does its work.
    const ours = manifests.filter((m) => m.kind !== 'HelmChart');

    // The in-cluster client, started first so that it is up when the hub is.
    await k.kubectlOk(['create', 'namespace', clientNamespace]);
    await k.kubectlOk(['apply', '-f', '-'], {
      input: stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'client', namespace: clientNamespace },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [{ name: 'curl', image: `${node.registry}/library/tk-service-discovery:1`, command: ['sleep', 'infinity'] }],
        },
      }),
    });

    const started = Date.now();
    await k.kubectlOk(['apply', '-f', '-'], { input: ours.map((m) => stringify(m)).join('---\n') });
    // Storage: our claims and the chart's hub-db-dir (the hub writes its sqlite as uid 1000).
    const claims = ours.filter((m): m is Claim => m.kind === 'PersistentVolumeClaim');
    expect(claims.length).toBeGreaterThanOrEqual(3);
    const hubDb = { metadata: { name: 'hub-db-dir', namespace }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } as Claim;
    const volumes = [...claims.map((c) => volumeFor(k, c)), volumeFor(k, hubDb, 1000)];
    await k.kubectlOk(['apply', '-f', '-'], { input: volumes.map((v) => stringify(v)).join('---\n') });
    // What bootstrap-keycloak writes; the hub contacts Keycloak only at login.
    await k.kubectlOk(['-n', namespace, 'create', 'secret', 'generic', 'jupyterhub-oidc-secret',
      '--from-literal=client_id=jupyterhub', `--from-literal=client_secret=${randomBytes(16).toString('hex')}`]);

    const dir = join(k.stateDir, 'values');
    mkdirSync(dir, { recursive: true });
    // valuesContent verbatim, as the helm-controller passes it: re-serialized
    // as YAML 1.2, a quoted "yes" would come out bare and reach helm as true.
    writeFileSync(join(dir, 'values.yaml'), chart.spec.valuesContent);
    expect(valuesOf(manifests).singleuser.extraEnv.JUPYTER_ENABLE_LAB).toBe('yes');
    writeFileSync(join(dir, 'overlay.yaml'), stringify(testOverlay(node.registry, apiToken)), { mode: 0o600 });
    const install = helm(['upgrade', '--install', chart.metadata.name, chartArchive(chart.spec.version), '-n', namespace,
      '-f', join(dir, 'values.yaml'), '-f', join(dir, 'overlay.yaml')], { KUBECONFIG: k.kubeconfig });
    expect(install.status, install.stderr).toBe(0);

    for (const deployment of ['proxy', 'hub']) {
      const rollout = await k.kubectl(['-n', namespace, 'rollout', 'status', `deployment/${deployment}`, '--timeout=420s'], { timeoutMs: 430_000 });
      if (rollout.code !== 0) {
        const why = await k.kubectl(['-n', namespace, 'describe', 'pods']);
        const logs = await k.kubectl(['-n', namespace, 'logs', `deployment/${deployment}`, '--all-containers', '--tail=80']);
        throw new Error(`${deployment} not Ready: ${rollout.stderr}\n${logs.stdout}${logs.stderr}\n${why.stdout}`);
      }
    }
    console.log(`node-bench apply -> hub Ready: ${((Date.now() - started) / 1000).toFixed(1)} s`);

    for (const component of ['hub', 'proxy']) {
      const [pod] = await podOf(`component=${component}`);
      expect(pod.spec.nodeName, component).toBe(node.name);
      expect(pod.status.phase).toBe('Running');
    }
    expect((await podOf('component=hub'))[0].spec.containers[0].image).toBe(`${node.registry}/library/k8s-hub:4.4.0`);

    await k.kubectlOk(['-n', clientNamespace, 'wait', '--for=condition=Ready', 'pod/client', '--timeout=120s'], { timeoutMs: 130_000 });
    const login = await request('GET', '/hub/login');
    expect(login.status, login.body).toBe(200);
    expect(login.body).toContain('Sign in with Keycloak');
    expect(login.body).toContain('Welcome to Thinkube AI Lab');
    expect(login.body).toMatch(/css\/thinkube\.css/);
  }, 600_000);

  it('the hub runs as the chart\'s hub ServiceAccount, whose token the API server knows as such', async () => {
    const [hub] = await podOf('component=hub');
    expect(hub.spec.serviceAccountName).toBe('hub');
    const token = await kube().kubectlOk(['-n', namespace, 'exec', hub.metadata.name, '--', 'cat', '/var/run/secrets/kubernetes.io/serviceaccount/token']);
    // A kubeconfig holding only that token (the admin's client certificate would win over --token).
    const kubeconfig = join(kube().stateDir, 'hub-token.kubeconfig');
    writeFileSync(kubeconfig, stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: kube().server, 'certificate-authority': kube().caFile } }],
      users: [{ name: 'hub', user: { token: token.trim() } }],
      contexts: [{ name: 'c', context: { cluster: 'c', user: 'hub' } }],
      'current-context': 'c',
    }), { mode: 0o600 });
    const whoami = await kube().kubectlOk(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], { kubeconfig });
    expect(whoami).toBe(`system:serviceaccount:${namespace}:hub`);
    // What KubeSpawner needs, granted to that identity by the chart's Role.
    expect(await kube().kubectlOk(['auth', 'can-i', 'create', 'pods', '-n', namespace], { kubeconfig })).toBe('yes\n');
  });

  it('the hub spawns a tk-jupyter-ml-cpu notebook through KubeSpawner: uid 1000, startup.sh, Running and ready', async () => {
    expect((await request('POST', '/hub/api/users/alice')).status).toBe(201);
    const start = await request('POST', '/hub/api/users/alice/server', { profile: 'custom', image: 'tk-jupyter-ml-cpu' });
    expect([201, 202], start.body).toContain(start.status);
    let user: { servers: Record<string, { ready: boolean; pending: string | null }> } = { servers: {} };
    for (let i = 0; i < 240 && !user.servers['']?.ready; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      user = JSON.parse((await request('GET', '/hub/api/users/alice')).body);
      if (user.servers[''] === undefined && i > 5) break;
    }
    const [pod] = await podOf('component=singleuser-server,hub.jupyter.org/username=alice');
    if (!user.servers['']?.ready) {
      const hubLog = await kube().kubectl(['-n', namespace, 'logs', 'deployment/hub', '--tail=60']);
      const described = pod ? await kube().kubectl(['-n', namespace, 'describe', 'pod', pod.metadata.name]) : { stdout: 'no pod' };
      throw new Error(`alice's server never became ready: ${JSON.stringify(user)}\n${hubLog.stdout}\n${described.stdout}`);
    }
    expect(pod.spec.nodeName).toBe(kube().node!.name);
    expect(pod.status.phase).toBe('Running');
    const notebook = pod.spec.containers.find((c) => c.image.endsWith('/tk-jupyter-ml-cpu:1'));
    expect(notebook?.securityContext?.runAsUser).toBe(1000);
    const log = await kube().kubectlOk(['-n', namespace, 'logs', pod.metadata.name, '-c', 'notebook']);
    expect(log).toMatch(/JupyterHub-Singleuser|jupyterhub-singleuser|Jupyter Server/i);
  }, 300_000);
});
