import {
  ApiextensionsV1Api, AppsV1Api, CoordinationV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig, NetworkingV1Api,
  type V1CustomResourceDefinition, type V1Deployment,
  type V1Lease, type V1Node,
} from '@kubernetes/client-node';
import { clusterDescription, kubeFailure } from '../bootstrap/cluster/kube-failure.js';
import { boundedApiClient } from '../bootstrap/cluster/kube-session.js';
import type { Config, Delivery, Routing, TlsMode } from '../config/index.js';

/**
 * What the cluster can reconcile, read once before `kubectl apply -f dist`:
 * which chart deliveries, routings and TLS sources would work on it.
 *
 * A running helm-controller has no single object to read: k3s and RKE2 embed
 * it in their server process (no Deployment, no Pod), a standalone one runs as
 * a Deployment. The heuristic, strongest signal first:
 *  1. the Lease `kube-system/helm-controller-lock` that the controller's leader
 *     election renews (k3s-io/helm-controller, `<controller-name>-lock`) was
 *     renewed within its lease duration;
 *  2. a Deployment named `helm-controller` that is not Flux's has an available
 *     replica (the standalone install);
 *  3. the nodes run k3s or RKE2 (`+k3s` / `+rke2` in the kubelet version), which
 *     embed one unless started with `--disable-helm-controller`;
 *  4. a HelmChart already carries the controller's claim annotation
 *     `helmcharts.cattle.io/managed-by`: one ran here (reported as a hint only).
 * Only 1-3 count as running.
 */

/** The CRDs each capability needs. */
const CAPABILITY_CRDS = {
  helmChart: 'helmcharts.helm.cattle.io',
  fluxHelmRelease: 'helmreleases.helm.toolkit.fluxcd.io',
  fluxHelmRepository: 'helmrepositories.source.toolkit.fluxcd.io',
  httpRoute: 'httproutes.gateway.networking.k8s.io',
  gateway: 'gateways.gateway.networking.k8s.io',
  certificate: 'certificates.cert-manager.io',
} as const;

const HELM_CONTROLLER_LEASE = { namespace: 'kube-system', name: 'helm-controller-lock' } as const;
const FLUX_NAMESPACE = 'flux-system';
const FLUX_CONTROLLERS = ['source-controller', 'helm-controller'] as const;
const MANAGED_BY = 'helmcharts.cattle.io/managed-by';


/** One detected fact, as printed. */
export interface Finding {
  readonly name: string;
  readonly present: boolean;
  readonly detail: string;
}

/** A setting's values that fit this cluster, the recommended one first. */
export interface Fit<T extends string> {
  readonly setting: string;
  readonly fits: readonly T[];
  /** Why each value that does not fit does not. */
  readonly misfits: Readonly<Partial<Record<T, string>>>;
}

export interface ClusterCapabilities {
  readonly findings: readonly Finding[];
  readonly delivery: Fit<Delivery>;
  readonly routing: Fit<Routing>;
  readonly tls: Fit<TlsMode>;
}

/** Served versions of each CRD by name. */
type CrdVersions = ReadonlyMap<string, readonly string[]>;

function servedVersions(crd: V1CustomResourceDefinition): string[] {
  return crd.spec.versions.filter((v) => v.served).map((v) => v.name);
}

function available(deployment: V1Deployment | undefined): boolean {
  return (deployment?.status?.availableReplicas ?? 0) > 0;
}

function describeDeployment(d: V1Deployment): string {
  return `Deployment ${d.metadata?.namespace}/${d.metadata?.name} (${d.status?.availableReplicas ?? 0}/${d.spec?.replicas ?? 1} available)`;
}

function images(d: V1Deployment): string {
  return (d.spec?.template.spec?.containers ?? []).map((c) => c.image ?? '').join(' ');
}

function crdFinding(crds: CrdVersions, name: string, want?: string): Finding {
  const versions = crds.get(name);
  if (versions === undefined) return { name: `CRD ${name}`, present: false, detail: 'not installed' };
  const present = want === undefined || versions.includes(want);
  return { name: `CRD ${name}`, present, detail: `serves ${versions.join(', ') || 'no version'}${present ? '' : ` (not ${want})`}` };
}

interface HelmChartObject { readonly metadata?: { readonly namespace?: string; readonly name?: string; readonly annotations?: Record<string, string> } }

/** What the detection reads; `unreadable` names the optional reads the kubeconfig's user may not make. */
interface ClusterFacts {
  readonly crds: CrdVersions;
  readonly deployments: readonly V1Deployment[] | undefined;
  readonly lease: V1Lease | undefined;
  readonly nodes: readonly V1Node[] | undefined;
  readonly helmCharts: readonly HelmChartObject[] | undefined;
  readonly ingressClasses: readonly string[] | undefined;
  readonly wildcardSecret: boolean | undefined;
  readonly hubSecret: boolean | undefined;
}

/** undefined when the read fails (forbidden, say); a 404 is `missing`. */
async function attempt<T>(read: () => Promise<T>, missing?: T): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    return (error as { code?: unknown }).code === 404 ? missing : undefined;
  }
}

async function readCluster(kube: KubeConfig, config: Config): Promise<ClusterFacts> {
  // The one read that must succeed: without the CRD list nothing can be said.
  const crds: CrdVersions = new Map((await boundedApiClient(kube, ApiextensionsV1Api).listCustomResourceDefinition()).items
    .map((crd) => [crd.metadata?.name ?? '', servedVersions(crd)]));
  const core = boundedApiClient(kube, CoreV1Api);
  const secretExists = (namespace: string, name: string) => attempt(async () => {
    await core.readNamespacedSecret({ namespace, name });
    return true;
  }, false);
  const [deployments, lease, nodes, helmCharts, ingressClasses, wildcardSecret, hubSecret] = await Promise.all([
    attempt(async () => (await boundedApiClient(kube, AppsV1Api).listDeploymentForAllNamespaces()).items),
    attempt(() => boundedApiClient(kube, CoordinationV1Api).readNamespacedLease(HELM_CONTROLLER_LEASE), undefined),
    attempt(async () => (await core.listNode()).items),
    crds.has(CAPABILITY_CRDS.helmChart)
      ? attempt(async () => ((await boundedApiClient(kube, CustomObjectsApi).listClusterCustomObject({ group: 'helm.cattle.io', version: 'v1', plural: 'helmcharts' })) as { items: HelmChartObject[] }).items)
      : [],
    attempt(async () => (await boundedApiClient(kube, NetworkingV1Api).listIngressClass()).items.map((c) => c.metadata?.name ?? '')),
    secretExists(config.tls.sourceNamespace, config.tls.sourceSecretName),
    secretExists(config.namespace, config.ingress.tlsSecretName),
  ]);
  return { crds, deployments, lease, nodes, helmCharts, ingressClasses, wildcardSecret, hubSecret };
}

const UNREADABLE = 'unknown: the kubeconfig\'s user may not read';

/** Signals 1-4 of the heuristic in the header. */
function helmControllerFinding(facts: ClusterFacts, now: Date): Finding {
  const name = 'helm-controller';
  const { lease } = facts;
  const renewed = lease?.spec?.renewTime ?? lease?.spec?.acquireTime;
  if (renewed !== undefined) {
    const age = Math.round((now.getTime() - new Date(renewed).getTime()) / 1000);
    // Twice the lease duration: some slack for clock skew between here and the cluster.
    const limit = 2 * (lease?.spec?.leaseDurationSeconds ?? 45);
    if (age <= limit) {
      return { name, present: true, detail: `running: Lease ${HELM_CONTROLLER_LEASE.namespace}/${HELM_CONTROLLER_LEASE.name} held by ${lease?.spec?.holderIdentity ?? '(no holder)'}, renewed ${Math.max(age, 0)} s ago` };
    }
  }
  const standalone = (facts.deployments ?? []).filter((d) => d.metadata?.name === 'helm-controller' && !images(d).includes('fluxcd'));
  const up = standalone.find(available);
  if (up !== undefined) return { name, present: true, detail: `running: ${describeDeployment(up)}` };
  const distribution = (facts.nodes ?? []).map((n) => /\+(k3s|rke2)/.exec(n.status?.nodeInfo?.kubeletVersion ?? '')?.[1]).find((d) => d !== undefined);
  if (distribution !== undefined && facts.crds.has(CAPABILITY_CRDS.helmChart)) {
    return { name, present: true, detail: `embedded: the nodes run ${distribution} (unless started with --disable-helm-controller)` };
  }
  const hints: string[] = [];
  if (renewed !== undefined) hints.push(`Lease ${HELM_CONTROLLER_LEASE.namespace}/${HELM_CONTROLLER_LEASE.name} last renewed ${new Date(renewed).toISOString()}`);
  hints.push(...standalone.map(describeDeployment));
  const claimed = (facts.helmCharts ?? []).filter((c) => c.metadata?.annotations?.[MANAGED_BY] !== undefined);
  if (claimed.length > 0) hints.push(`${claimed.length} HelmChart(s) claimed by ${claimed[0]?.metadata?.annotations?.[MANAGED_BY]} earlier`);
  const unread = [facts.deployments, facts.nodes].some((x) => x === undefined) ? ` (${UNREADABLE} Deployments or Nodes)` : '';
  return { name, present: false, detail: `not running${hints.length > 0 ? `: ${hints.join('; ')}` : ''}${unread}` };
}

function controllersFinding(name: string, facts: ClusterFacts, wanted: readonly { namespace?: string; name: string }[]): Finding {
  if (facts.deployments === undefined) return { name, present: false, detail: `${UNREADABLE} Deployments` };
  const found = wanted.map((w) => facts.deployments?.find((d) => d.metadata?.name === w.name && (w.namespace === undefined || d.metadata?.namespace === w.namespace)));
  const missing = wanted.filter((_, i) => !available(found[i])).map((w) => `${w.namespace === undefined ? '' : `${w.namespace}/`}${w.name}`);
  const seen = found.filter((d): d is V1Deployment => d !== undefined).map(describeDeployment);
  if (missing.length === 0) return { name, present: true, detail: `running: ${seen.join(', ')}` };
  return { name, present: false, detail: `not running: no available Deployment ${missing.join(', ')}${seen.length > 0 ? ` (found ${seen.join(', ')})` : ''}` };
}

/** Reads the cluster and says which `delivery`, `routing` and `tls` values fit it. */
export async function detectCapabilities(kube: KubeConfig, config: Config, now: () => Date = () => new Date()): Promise<ClusterCapabilities> {
  let facts: ClusterFacts;
  try {
    facts = await readCluster(kube, config);
  } catch (error) {
    throw kubeFailure(error, { where: clusterDescription(kube), action: 'listing the CustomResourceDefinitions', needs: 'list on customresourcedefinitions' });
  }
  const helmChartCrd = crdFinding(facts.crds, CAPABILITY_CRDS.helmChart, 'v1');
  const helmController = helmControllerFinding(facts, now());
  const fluxCrds = [crdFinding(facts.crds, CAPABILITY_CRDS.fluxHelmRelease, 'v2'), crdFinding(facts.crds, CAPABILITY_CRDS.fluxHelmRepository, 'v1')];
  const flux = controllersFinding('Flux controllers', facts, FLUX_CONTROLLERS.map((n) => ({ namespace: FLUX_NAMESPACE, name: n })));
  const gateway = [crdFinding(facts.crds, CAPABILITY_CRDS.httpRoute, 'v1'), crdFinding(facts.crds, CAPABILITY_CRDS.gateway, 'v1')];
  const certManagerCrd = crdFinding(facts.crds, CAPABILITY_CRDS.certificate, 'v1');
  const certManager = controllersFinding('cert-manager', facts, [{ name: 'cert-manager' }]);
  const classes: Finding = facts.ingressClasses === undefined
    ? { name: 'IngressClasses', present: false, detail: `${UNREADABLE} IngressClasses` }
    : { name: 'IngressClasses', present: facts.ingressClasses.length > 0, detail: facts.ingressClasses.length > 0 ? facts.ingressClasses.join(', ') : 'none' };

  const delivery: Partial<Record<Delivery, string>> = {};
  if (!helmChartCrd.present || !helmController.present) {
    delivery.helmChart = helmChartCrd.present ? 'no helm-controller reconciles the HelmChart' : `the CRD ${CAPABILITY_CRDS.helmChart} is not installed`;
  }
  // A second controller would race the embedded or running one for every HelmChart.
  if (helmController.present) delivery.helmChartWithController = 'a helm-controller already runs: a second one would race it';
  if (!fluxCrds.every((f) => f.present) || !flux.present) {
    delivery.fluxHelmRelease = !fluxCrds.every((f) => f.present) ? 'the Flux CRDs (helm.toolkit.fluxcd.io/v2, source.toolkit.fluxcd.io/v1) are not installed' : `Flux's controllers are ${flux.detail}`;
  }
  const routing: Partial<Record<Routing, string>> = {};
  if (facts.ingressClasses !== undefined && !facts.ingressClasses.includes(config.ingress.className)) {
    routing.ingress = `no IngressClass ${config.ingress.className} (ingress.className)`;
  }
  if (!gateway[0]?.present) routing.gatewayApi = `the CRD ${CAPABILITY_CRDS.httpRoute} (v1) is not installed`;
  else if (!gateway[1]?.present) routing.gatewayApi = `the CRD ${CAPABILITY_CRDS.gateway} is not installed: no Gateway to attach to`;
  const tls: Partial<Record<TlsMode, string>> = {};
  // TLS follows the configured routing: a Gateway's listener terminates TLS, an Ingress uses a Secret in the hub's namespace.
  if (config.routing === 'gatewayApi') {
    tls.copyWildcard = 'routing gatewayApi: the Gateway\'s listener terminates TLS';
    tls.existingSecret = 'routing gatewayApi: the Gateway\'s listener terminates TLS';
    if (!gateway[1]?.present) tls.gateway = `the CRD ${CAPABILITY_CRDS.gateway} is not installed: no Gateway listener to terminate TLS`;
  } else {
    tls.gateway = 'routing ingress has no Gateway listener';
    if (facts.wildcardSecret === false) tls.copyWildcard = `no Secret ${config.tls.sourceNamespace}/${config.tls.sourceSecretName} to copy`;
    if (facts.hubSecret === false) tls.existingSecret = `no Secret ${config.namespace}/${config.ingress.tlsSecretName} yet: create it first`;
  }
  if (!certManagerCrd.present || !certManager.present) {
    tls.certManager = certManagerCrd.present ? `cert-manager is ${certManager.detail}` : `the CRD ${CAPABILITY_CRDS.certificate} is not installed`;
  }

  const fit = <T extends string>(setting: string, order: readonly T[], misfits: Partial<Record<T, string>>): Fit<T> => ({
    setting,
    fits: order.filter((v) => misfits[v] === undefined),
    misfits: Object.fromEntries(order.filter((v) => misfits[v] !== undefined).map((v) => [v, misfits[v]])) as Partial<Record<T, string>>,
  });
  return {
    findings: [helmChartCrd, helmController, ...fluxCrds, flux, ...gateway, classes, certManagerCrd, certManager],
    // The order is the recommendation: what the cluster already reconciles first, the helm CLI last.
    delivery: fit('delivery', ['helmChart', 'fluxHelmRelease', 'helmChartWithController', 'helmValues'], delivery),
    routing: fit('routing', ['ingress', 'gatewayApi'], routing),
    tls: fit('tls.mode', ['gateway', 'copyWildcard', 'certManager', 'existingSecret'], tls),
  };
}

function fitLine<T extends string>(f: Fit<T>): string {
  const recommended = f.fits[0];
  const head = recommended === undefined ? 'nothing fits' : `${recommended} (recommended)${f.fits.length > 1 ? `, also ${f.fits.slice(1).join(', ')}` : ''}`;
  const reasons = Object.entries(f.misfits).map(([value, why]) => `${value}: ${why as string}`);
  return `fits   ${f.setting}: ${head}${reasons.length > 0 ? `; not ${reasons.join('; ')}` : ''}`;
}

/** The findings, one line each, then one line per setting. */
export function formatCapabilities(c: ClusterCapabilities): string[] {
  return [
    ...c.findings.map((f) => `${f.present ? 'found ' : 'absent'} ${f.name}: ${f.detail}`),
    fitLine(c.delivery), fitLine(c.routing), fitLine(c.tls),
  ];
}

/** A WARN line for each configured setting (delivery, routing, tls.mode) that does not fit the cluster. */
export function misfitWarnings(c: ClusterCapabilities, config: Config): string[] {
  const warn = <T extends string>(f: Fit<T>, field: string, value: T): string[] => {
    const why = f.misfits[value];
    return why === undefined ? [] : [`WARN ${field} ${value} does not fit this cluster: ${why}${f.fits[0] === undefined ? '' : ` (${f.fits[0]} would)`}`];
  };
  return [...warn(c.delivery, 'delivery', config.delivery), ...warn(c.routing, 'routing', config.routing), ...warn(c.tls, 'tls.mode', config.tls.mode)];
}
