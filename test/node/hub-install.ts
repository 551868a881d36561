/**
 * Puts the hub on the node as a Thinkube cluster gets it: `kubectl apply` of
 * what we synthesize (all but the chart objects: nothing reconciles a
 * HelmChart here), then the chart installed by the real helm from the
 * HelmChart's valuesContent plus a test-only overlay; waits until proxy and
 * hub are Ready. Shared by hub-on-node.test.ts, the end-to-end tier and
 * `npm run bench -- node`; test/flux installs the chart with Flux's
 * controllers instead (prepareHubOnNode, then the HelmRelease).
 *
 * What it swaps, and why (everything else is what a cluster gets):
 * - hostPath PersistentVolumes, pre-bound to our claims and the chart's
 *   hub-db-dir, stand in for JuiceFS (no storage provisioner here); the
 *   real PV controller binds them.
 * - the OIDC Secret holds a random client secret: the hub contacts Keycloak
 *   only at login.
 * - thinkube-control is not deployed: the hub answers with its fallback profile.
 * - the overlay (testOverlay) names every chart setting it changes.
 */
import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import type { KubeHarness } from '../kube/harness.js';
import { chartArchive, helm } from '../support/helm.js';
import { runSynth } from '../support/run-synth.js';
import { type Manifest, find } from '../support/synth.js';

/** The user config of the hub on the node: our images from the node's registry, as from Harbor. */
export const testConfig = (registry: string) => ({
  domainName: 'thinkube.test',
  harbor: { registry, project: 'library' },
  // The tags build-images.sh pushes (test/node/versions.sh NODE_REGISTRY_IMAGES).
  images: {
    tag: '1',
    fixPermissions: `${registry}/library/busybox:1.35`,
    cloneExamples: `${registry}/library/git:2.39`,
  },
  // Short, so that the chart's idle culler stops an idle notebook within the test.
  culling: { timeoutSeconds: 30, everySeconds: 5 },
});

/**
 * Test-only chart values, merged by helm over the HelmChart's (`-f values -f overlay`).
 * Each entry says why it differs from what a Thinkube cluster runs.
 */
export const testOverlay = (registry: string, apiToken: string) => ({
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

export interface HubOnNode {
  /** The namespace of the hub (the chart object's targetNamespace). */
  namespace: string;
  /** Every manifest we synthesized, the chart objects among them. */
  manifests: Manifest[];
  /** From the first `kubectl apply` until the hub's Deployment is Ready. */
  applyToHubReadySeconds: number;
}

export interface InstallOptions {
  /** The user config to synthesize; default testConfig(registry). */
  config?: Record<string, unknown>;
  /** Whether the OIDC Secret already exists (written by bootstrap-keycloak); default false: a random one is created. */
  oidcSecretExists?: boolean;
}

/** The objects that install the chart (the delivery's), which prepareHubOnNode leaves to the caller. */
const CHART_OBJECTS = ['HelmChart', 'HelmRelease', 'HelmRepository'];

export interface PreparedHub {
  /** The namespace of the hub (the chart object's targetNamespace). */
  namespace: string;
  /** Every manifest we synthesized, the chart objects among them. */
  manifests: Manifest[];
  /** The synthesized dist/ directory (what a user applies with `kubectl apply -f`). */
  outdir: string;
  /** performance.now() at the first `kubectl apply`. */
  started: number;
}

/**
 * What comes before the chart: synth, `kubectl apply` of every manifest but
 * the chart objects, the volumes standing in for JuiceFS and (unless the
 * bootstrap wrote it) the OIDC Secret.
 */
export async function prepareHubOnNode(kube: KubeHarness, options: InstallOptions = {}): Promise<PreparedHub> {
  const node = kube.node;
  if (node === undefined) throw new Error('the hub on the node needs a harness started with { node: true }');
  const run = runSynth({ config: options.config ?? testConfig(node.registry) });
  if (run.status !== 0) throw new Error(`synth failed: ${run.stderr}`);
  const manifests = Object.values(run.files).flatMap((text) => parseAllDocuments(text).map((d) => d.toJS() as Manifest));
  const chart = manifests.find((m) => m.kind === 'HelmChart' || m.kind === 'HelmRelease') as HelmChartManifest | undefined;
  if (chart === undefined) throw new Error('synth wrote neither a HelmChart nor a HelmRelease');
  const namespace = chart.spec.targetNamespace;
  const ours = manifests.filter((m) => !CHART_OBJECTS.includes(m.kind));

  const started = performance.now();
  await kube.kubectlOk(['apply', '-f', '-'], { input: ours.map((m) => stringify(m)).join('---\n') });
  // Storage: our claims and the chart's hub-db-dir (the hub writes its sqlite as uid 1000).
  const claims = ours.filter((m): m is Claim => m.kind === 'PersistentVolumeClaim');
  const hubDb = { metadata: { name: 'hub-db-dir', namespace }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } as Claim;
  const volumes = [...claims.map((c) => volumeFor(kube, c)), volumeFor(kube, hubDb, 1000)];
  await kube.kubectlOk(['apply', '-f', '-'], { input: volumes.map((v) => stringify(v)).join('---\n') });
  if (options.oidcSecretExists !== true) {
    // What bootstrap-keycloak writes.
    await kube.kubectlOk(['-n', namespace, 'create', 'secret', 'generic', 'jupyterhub-oidc-secret',
      '--from-literal=client_id=jupyterhub', `--from-literal=client_secret=${randomBytes(16).toString('hex')}`]);
  }
  return { namespace, manifests, outdir: run.outdir, started };
}

/** Applies our manifests, installs the chart with helm, waits for proxy and hub; throws with the pods' state when they do not get Ready. */
export async function installHubOnNode(kube: KubeHarness, apiToken: string, options: InstallOptions = {}): Promise<HubOnNode> {
  const { namespace, manifests, started } = await prepareHubOnNode(kube, options);
  await helmUpgradeOnNode(kube, find(manifests, 'HelmChart'), apiToken);
  return { namespace, manifests, applyToHubReadySeconds: (performance.now() - started) / 1000 };
}

type HelmChartManifest = Manifest & { spec: { version: string; targetNamespace: string; valuesContent: string } };

/**
 * `helm upgrade --install` of the HelmChart's valuesContent (verbatim) plus
 * the test overlay, then waits for proxy and hub to be Ready. Also how a test
 * puts other values in place (a changed valuesContent), as a re-synthesized
 * HelmChart would.
 */
export async function helmUpgradeOnNode(kube: KubeHarness, chart: Manifest, apiToken: string): Promise<void> {
  const { spec, metadata } = chart as HelmChartManifest;
  const namespace = spec.targetNamespace;
  const dir = join(kube.stateDir, 'values');
  mkdirSync(dir, { recursive: true });
  // valuesContent verbatim, as the helm-controller passes it: re-serialized
  // as YAML 1.2, a quoted "yes" (JUPYTER_ENABLE_LAB) would come out bare and
  // reach helm as true, which KubeSpawner refuses as an env value.
  writeFileSync(join(dir, 'values.yaml'), spec.valuesContent);
  writeFileSync(join(dir, 'overlay.yaml'), stringify(testOverlay(kube.node!.registry, apiToken)), { mode: 0o600 });
  const install = helm(['upgrade', '--install', metadata.name, chartArchive(spec.version), '-n', namespace,
    '-f', join(dir, 'values.yaml'), '-f', join(dir, 'overlay.yaml')], { KUBECONFIG: kube.kubeconfig });
  if (install.status !== 0) throw new Error(`helm upgrade --install failed (${install.status}): ${install.stderr}`);

  await waitForHubOnNode(kube, namespace);
}

/** Waits until the proxy and hub Deployments are Ready; throws with their logs and the pods' state when they do not get there. */
export async function waitForHubOnNode(kube: KubeHarness, namespace: string, timeoutSeconds = 420): Promise<void> {
  for (const deployment of ['proxy', 'hub']) {
    const rollout = await kube.kubectl(['-n', namespace, 'rollout', 'status', `deployment/${deployment}`, `--timeout=${timeoutSeconds}s`], { timeoutMs: (timeoutSeconds + 10) * 1000 });
    if (rollout.code !== 0) {
      const why = await kube.kubectl(['-n', namespace, 'describe', 'pods']);
      const logs = await kube.kubectl(['-n', namespace, 'logs', `deployment/${deployment}`, '--all-containers', '--tail=80']);
      throw new Error(`${deployment} not Ready: ${rollout.stderr}\n${logs.stdout}${logs.stderr}\n${why.stdout}`);
    }
  }
}
