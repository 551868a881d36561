import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeSession } from './kube-session.js';

export type ApplyOutcome = 'created' | 'updated' | 'unchanged' | 'would create' | 'would update';

/**
 * Server-side applies `desired` unless the object already holds it (`isCurrent`),
 * so that a second run writes nothing; a dry run only reads. `existing` skips
 * the read when the caller has just made it.
 */
export async function applyObject<T extends KubernetesObject>(
  kube: KubeSession,
  desired: T,
  isCurrent: (existing: T) => boolean,
  dryRun: boolean,
  existing?: T,
): Promise<ApplyOutcome> {
  const name = `${desired.kind} ${desired.metadata?.namespace ? `${desired.metadata.namespace}/` : ''}${desired.metadata?.name}`;
  const current = existing ?? await kube.read(desired, `reading ${name}`);
  if (current !== undefined && isCurrent(current)) return 'unchanged';
  if (dryRun) return current === undefined ? 'would create' : 'would update';
  await kube.apply(desired, `applying ${name}`);
  return current === undefined ? 'created' : 'updated';
}
