import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeSession } from './kube-session.js';

export type ApplyOutcome = 'created' | 'updated' | 'unchanged' | 'would create' | 'would update';

/**
 * Server-side applies `desired` unless the object already holds it (`isCurrent`),
 * so that a second run writes nothing; a dry run only reads.
 */
export async function applyObject<T extends KubernetesObject>(
  kube: KubeSession,
  desired: T,
  isCurrent: (existing: T) => boolean,
  dryRun: boolean,
): Promise<ApplyOutcome> {
  const name = `${desired.kind} ${desired.metadata?.namespace ? `${desired.metadata.namespace}/` : ''}${desired.metadata?.name}`;
  const existing = await kube.read(desired, `reading ${name}`);
  if (existing !== undefined && isCurrent(existing)) return 'unchanged';
  if (dryRun) return existing === undefined ? 'would create' : 'would update';
  await kube.apply(desired, `applying ${name}`);
  return existing === undefined ? 'created' : 'updated';
}
