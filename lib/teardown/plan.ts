import { type Target, describeTarget, targetOf } from './target.js';

/**
 * What `kubectl apply -f dist` created, sorted for removal:
 * - `phases`, deleted in order: the Ingress first (no traffic to a hub being
 *   removed), then the HelmChart, whose deletion makes the helm-controller run
 *   a helm-delete Job that needs the release's namespace and RBAC to still
 *   exist, then the other namespaced objects, then cluster-scoped ones;
 * - `claims` and `namespaces`: user data, kept unless the operator confirms.
 */
export interface TeardownPlan {
  readonly phases: readonly (readonly Target[])[];
  readonly claims: readonly Target[];
  readonly namespaces: readonly Target[];
}

export const HELM_CHART_KIND = 'HelmChart';

export function planTeardown(manifests: readonly Record<string, unknown>[]): TeardownPlan {
  const targets: Target[] = [];
  for (const manifest of manifests) {
    const target = targetOf(manifest);
    if (target === undefined) throw new Error(`a manifest lacks apiVersion, kind or metadata.name: ${JSON.stringify(manifest).slice(0, 200)}`);
    if (!targets.some((t) => describeTarget(t) === describeTarget(target))) targets.push(target);
  }
  const of = (test: (t: Target) => boolean) => targets.filter(test);
  const isData = (t: Target) => t.kind === 'PersistentVolumeClaim' || t.kind === 'Namespace';
  return {
    phases: [
      of((t) => t.kind === 'Ingress'),
      of((t) => t.kind === HELM_CHART_KIND),
      of((t) => t.namespace !== undefined && !isData(t) && t.kind !== 'Ingress' && t.kind !== HELM_CHART_KIND),
      of((t) => t.namespace === undefined && !isData(t) && t.kind !== HELM_CHART_KIND),
    ].filter((phase) => phase.length > 0),
    claims: of((t) => t.kind === 'PersistentVolumeClaim'),
    namespaces: of((t) => t.kind === 'Namespace'),
  };
}
