/**
 * The ownership rule for the Secrets this command writes. It owns, through
 * server-side apply with FIELD_MANAGER, the type, its data keys and its label;
 * it forces ownership of those keys when another manager (kubectl, the old
 * playbook) holds them. Keys another manager added are left in place and
 * named in the report: server-side apply never removes fields it does not
 * own, and deleting data this command never wrote could break whoever wrote it.
 */
import type { V1ManagedFieldsEntry, V1Secret } from '@kubernetes/client-node';
import { BootstrapError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { OWNER } from '../owner.js';

type FieldSet = Record<string, unknown>;

/** The `f:<name>` children of `path` in a managedFields entry. */
function ownedChildren(entry: V1ManagedFieldsEntry, path: readonly string[]): Set<string> {
  let node = entry.fieldsV1 as FieldSet | undefined;
  for (const step of path) node = node?.[`f:${step}`] as FieldSet | undefined;
  return new Set(Object.keys(node ?? {}).filter((key) => key.startsWith('f:')).map((key) => key.slice(2)));
}

function appliedByUs(secret: V1Secret): V1ManagedFieldsEntry[] {
  return (secret.metadata?.managedFields ?? []).filter((entry) => entry.manager === OWNER && entry.operation === 'Apply');
}

/** Data keys that this command's apply owns. */
function ownedDataKeys(secret: V1Secret): Set<string> {
  return new Set(appliedByUs(secret).flatMap((entry) => [...ownedChildren(entry, ['data'])]));
}

/** Data keys of `existing` that `desired` does not hold: another manager's. */
export function foreignDataKeys(existing: V1Secret, desired: V1Secret): string[] {
  return Object.keys(existing.data ?? {}).filter((key) => !(key in (desired.data ?? {}))).sort();
}

/**
 * Current when the type, every desired key's value and every desired label
 * match, this command owns those keys, and owns no key it no longer writes
 * (the next apply would remove it). Foreign keys do not count: the run converges.
 */
export function secretIsCurrent(existing: V1Secret, desired: V1Secret): boolean {
  const data = existing.data ?? {};
  const owned = ownedDataKeys(existing);
  const wanted = desired.data ?? {};
  const labels = existing.metadata?.labels ?? {};
  return existing.type === desired.type
    && Object.entries(wanted).every(([key, value]) => data[key] === value && owned.has(key))
    && [...owned].every((key) => key in wanted)
    && Object.entries(desired.metadata?.labels ?? {}).every(([key, value]) => labels[key] === value);
}

/** Same values for every desired key (ownership aside). */
function sameValues(existing: V1Secret, desired: V1Secret): boolean {
  const data = existing.data ?? {};
  return Object.entries(desired.data ?? {}).every(([key, value]) => data[key] === value);
}

/**
 * Refuses, before any write, what the API server would reject with a bare
 * 422: another type (immutable in Kubernetes) or an immutable Secret with
 * other values. `field` names the setting that chose the name.
 */
export function checkSecretWritable(existing: V1Secret | undefined, desired: V1Secret, field: string): void {
  if (existing === undefined) return;
  const name = `${desired.metadata?.namespace}/${desired.metadata?.name}`;
  const remove = `kubectl -n ${desired.metadata?.namespace} delete secret ${desired.metadata?.name}`;
  if (existing.type !== desired.type) {
    throw new BootstrapError(
      `Secret ${name} exists with type ${existing.type ?? '(none)'}, but the bootstrap writes type ${desired.type} and Kubernetes never changes a Secret's type: `
      + `delete it (${remove}) and run again, or set ${field} to another name`,
      ExitCode.usage,
    );
  }
  if (existing.immutable === true && !sameValues(existing, desired)) {
    throw new BootstrapError(
      `Secret ${name} is immutable and holds other values than the bootstrap writes: delete it (${remove}) and run again, or set ${field} to another name`,
      ExitCode.usage,
    );
  }
}

/** Refuses a wildcard certificate source that is not a TLS Secret: the copy would be rejected with a bare 422. */
export function checkTlsSource(source: V1Secret, name: string): void {
  const missing = ['tls.crt', 'tls.key'].filter((key) => !source.data?.[key]);
  if (missing.length > 0) {
    throw new BootstrapError(
      `tls.sourceSecretName: Secret ${name} has no ${missing.join(' or ')}, so it is not a TLS certificate (type ${source.type ?? '(none)'}): `
      + 'point tls.sourceSecretName/tls.sourceNamespace at the wildcard certificate\'s kubernetes.io/tls Secret, or set tls.copyWildcardCertificate: false',
      ExitCode.usage,
    );
  }
}
