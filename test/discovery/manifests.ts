/**
 * Builders for the objects a discovery test or benchmark registers: the
 * labelled ConfigMaps of ../shared/contracts/service-discovery.md, Secrets,
 * and the per-namespace Roles that allow-list Secrets for the discovery
 * ServiceAccount, synthesized by the project's own construct.
 */
import { Chart, Testing } from 'cdk8s';
import { DiscoveryRbacConstruct, resolveConfig } from '../../lib/index.js';

export type Manifest = Record<string, unknown>;

export interface SecretRef {
  namespace: string;
  name: string;
}

export const discoveryNamespace = 'jupyterhub';
export const discoveryServiceAccount = 'jupyter-service-discovery';
export const managedLabel = { 'thinkube.io/managed': 'true' };

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

/**
 * The discovery identity exactly as the project synthesizes it
 * (DiscoveryRbacConstruct) for an allow-list: ServiceAccount, ConfigMap reader
 * and one Role per namespace with `get` on the listed Secrets. The
 * construct's script and registration ConfigMaps are left out (the tests
 * register their own services).
 */
export function discoveryRbac(refs: SecretRef[]): Manifest[] {
  const app = Testing.app();
  const chart = new Chart(app, 'discovery');
  new DiscoveryRbacConstruct(chart, 'discovery', { config: resolveConfig({ discovery: { secretAllowList: refs } }) });
  return (Testing.synth(chart) as Manifest[]).filter((m) => m.kind !== 'ConfigMap');
}

export const asList = (items: Manifest[]): string => JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
