import { SHARED_LABEL } from '../model/shared-objects.js';

/** One object teardown may delete, keep or report, named as kubectl would. */
export interface Target {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** Absent for cluster-scoped objects. */
  readonly namespace?: string;
  /** Shared with the rest of the cluster (SHARED_LABEL): teardown keeps it. */
  readonly shared?: boolean;
}


export function describeTarget(target: Target): string {
  return `${target.kind} ${target.namespace ? `${target.namespace}/` : ''}${target.name}`;
}

/** The target of a manifest, or undefined when it lacks kind, apiVersion or name. */
export function targetOf(manifest: Record<string, unknown>): Target | undefined {
  const metadata = (manifest.metadata ?? {}) as { name?: unknown; namespace?: unknown; labels?: Record<string, unknown> };
  const { apiVersion, kind } = manifest;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || typeof metadata.name !== 'string') return undefined;
  return {
    apiVersion,
    kind,
    name: metadata.name,
    ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}),
    ...(metadata.labels?.[SHARED_LABEL] === 'true' ? { shared: true } : {}),
  };
}
