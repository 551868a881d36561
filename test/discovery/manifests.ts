/**
 * Builders for the objects a discovery test or benchmark registers: the
 * labelled ConfigMaps of ../shared/contracts/service-discovery.md, Secrets,
 * and the per-namespace Roles that allow-list Secrets for the discovery
 * ServiceAccount (fixtures/rbac.yaml holds the rest of its RBAC).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Manifest = Record<string, unknown>;

export interface SecretRef {
  namespace: string;
  name: string;
}

export const discoveryNamespace = 'jupyterhub';
export const discoveryServiceAccount = 'jupyter-service-discovery';
export const managedLabel = { 'thinkube.io/managed': 'true' };

export const staticRbacYaml = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'rbac.yaml'), 'utf8');

export function namespace(name: string): Manifest {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

export function secret(ref: SecretRef, stringData: Record<string, string>): Manifest {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { ...ref }, type: 'Opaque', stringData };
}

/** A registration ConfigMap; `serviceYaml` undefined leaves the key out. */
export function serviceConfigMap(
  ns: string,
  serviceYaml: string | undefined,
  options: { name?: string; labels?: Record<string, string> } = {},
): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: options.name ?? 'thinkube-service-config', namespace: ns, labels: options.labels ?? managedLabel },
    data: serviceYaml === undefined ? { 'other.txt': 'not a service' } : { 'service.yaml': serviceYaml },
  };
}

/** A YAML double-quoted scalar: JSON's string syntax is a subset of it. */
export const yamlString = (value: string): string => JSON.stringify(value);

/** `service.yaml` text around pre-rendered `environment_variables` entries. */
export function serviceYaml(name: string, variables: string[]): string {
  const lines = ['service:', `  name: ${name}`, '  type: optional', '  environment_variables:'];
  for (const variable of variables) {
    lines.push(variable.split('\n').map((line, i) => `${i === 0 ? '    - ' : '      '}${line}`).join('\n'));
  }
  return `${lines.join('\n')}\n`;
}

export const plainVariable = (name: string, value: string): string => `name: ${name}\nvalue: ${yamlString(value)}`;

export function secretVariable(name: string, ref: Partial<SecretRef> & { name: string }, key: string): string {
  const namespaceLine = ref.namespace === undefined ? '' : `\n    namespace: ${ref.namespace}`;
  return `name: ${name}\nvalueFrom:\n  secretKeyRef:${namespaceLine}\n    name: ${ref.name}\n    key: ${key}`;
}

/** One Role + RoleBinding per namespace granting `get` on exactly these Secrets. */
export function secretAllowList(refs: SecretRef[]): Manifest[] {
  const byNamespace = new Map<string, string[]>();
  for (const ref of refs) byNamespace.set(ref.namespace, [...(byNamespace.get(ref.namespace) ?? []), ref.name]);
  return [...byNamespace].flatMap(([ns, names]) => [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'jupyter-service-discovery-secrets', namespace: ns },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: names }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'jupyter-service-discovery-secrets', namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'jupyter-service-discovery-secrets' },
      subjects: [{ kind: 'ServiceAccount', name: discoveryServiceAccount, namespace: discoveryNamespace }],
    },
  ]);
}

export const asList = (items: Manifest[]): string => JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
