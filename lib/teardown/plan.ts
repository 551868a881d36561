import { type Target, describeTarget, targetOf } from './target.js';

/**
 * What `kubectl apply -f dist` created, sorted for removal:
 * - `phases`, deleted in order: the routes first (Ingress, HTTPRoute: no
 *   traffic to a hub being removed), then the chart object (HelmChart or Flux
 *   HelmRelease), whose deletion makes its controller uninstall the release,
 *   which needs the release's namespace and RBAC to still exist, then the
 *   other namespaced objects, then cluster-scoped ones;
 * - `claims` and `namespaces`: user data, kept unless the operator confirms;
 * - `shared`: what the rest of the cluster depends on (the helm-controller of
 *   `delivery: helmChartWithController` and its CRDs: deleting the HelmChart
 *   CRD deletes every HelmChart of the cluster, and with them their releases).
 *   Always kept.
 */
export interface TeardownPlan {
  readonly phases: readonly (readonly Target[])[];
  readonly claims: readonly Target[];
  readonly namespaces: readonly Target[];
  readonly shared: readonly Target[];
}

const HELM_CHART_KIND = 'HelmChart';
/** The objects whose deletion uninstalls the release, waited for until their controller has done so. */
export const CHART_KINDS: readonly string[] = [HELM_CHART_KIND, 'HelmRelease'];
const ROUTE_KINDS: readonly string[] = ['Ingress', 'HTTPRoute'];

export function planTeardown(manifests: readonly Record<string, unknown>[]): TeardownPlan {
  const targets: Target[] = [];
  for (const manifest of manifests) {
    const target = targetOf(manifest);
    if (target === undefined) throw new Error(`a manifest lacks apiVersion, kind or metadata.name: ${JSON.stringify(manifest).slice(0, 200)}`);
    if (!targets.some((t) => describeTarget(t) === describeTarget(target))) targets.push(target);
  }
  const of = (test: (t: Target) => boolean) => targets.filter((t) => t.shared !== true && test(t));
  const isData = (t: Target) => t.kind === 'PersistentVolumeClaim' || t.kind === 'Namespace';
  const ordered = (t: Target) => ROUTE_KINDS.includes(t.kind) || CHART_KINDS.includes(t.kind);
  return {
    phases: [
      of((t) => ROUTE_KINDS.includes(t.kind)),
      of((t) => CHART_KINDS.includes(t.kind)),
      of((t) => t.namespace !== undefined && !isData(t) && !ordered(t)),
      of((t) => t.namespace === undefined && !isData(t) && !ordered(t)),
    ].filter((phase) => phase.length > 0),
    claims: of((t) => t.kind === 'PersistentVolumeClaim'),
    namespaces: of((t) => t.kind === 'Namespace'),
    shared: targets.filter((t) => t.shared === true),
  };
}
