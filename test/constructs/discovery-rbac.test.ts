import { readFileSync } from 'node:fs';
import { ApiObject } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DiscoveryRbacConstruct } from '../../lib/index.js';
import { customConfig } from '../support/configs.js';
import { type Manifest, find, synthChart } from '../support/synth.js';

const script = readFileSync(new URL('../../lib/discovery/service-discovery-init.sh', import.meta.url), 'utf8');

/** Snapshots hold the script once, in its own file; here it is replaced by a marker. */
function withoutScript(manifests: Manifest[]): Manifest[] {
  return manifests.map((m) => (m.metadata.name === 'jupyter-service-discovery-script'
    ? { ...m, data: { 'service-discovery-init.sh': '<lib/discovery/service-discovery-init.sh>' } }
    : m));
}

describe('DiscoveryRbacConstruct', () => {
  it('defaults: the spec names, ConfigMap read only, no Secret access', () => {
    const manifests = synthChart((chart) => new DiscoveryRbacConstruct(chart, 'discovery'));
    expect(withoutScript(manifests)).toMatchSnapshot();
    const sa: any = find(manifests, 'ServiceAccount', 'jupyter-service-discovery');
    expect(sa.automountServiceAccountToken).toBe(false);
    const role: any = find(manifests, 'ClusterRole', 'jupyter-configmap-reader');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }]);
    expect(find(manifests, 'ClusterRoleBinding', 'jupyter-service-discovery-binding')).toMatchObject({
      roleRef: { kind: 'ClusterRole', name: 'jupyter-configmap-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'jupyter-service-discovery', namespace: 'jupyterhub' }],
    });
    expect(manifests.filter((m) => m.kind === 'Role' || m.kind === 'RoleBinding')).toEqual([]);
    const everyRule = manifests.flatMap((m: any) => m.rules ?? []);
    expect(everyRule.some((rule: any) => rule.resources.includes('secrets') && !rule.resourceNames)).toBe(false);
  });

  it('custom: get on each allow-listed Secret only, one Role per namespace', () => {
    const manifests = synthChart((chart) => new DiscoveryRbacConstruct(chart, 'discovery', { config: customConfig }));
    expect(withoutScript(manifests)).toMatchSnapshot();
    const roles = manifests.filter((m) => m.kind === 'Role') as any[];
    expect(roles.map((r) => [r.metadata.namespace, r.rules])).toEqual([
      ['gitea', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['gitea-admin-token', 'gitea-runner-token'] }]],
      ['postgres', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['postgres-credentials'] }]],
    ]);
    const bindings = manifests.filter((m) => m.kind === 'RoleBinding') as any[];
    expect(bindings.map((b) => b.subjects)).toEqual([
      [{ kind: 'ServiceAccount', name: 'jupyter-service-discovery', namespace: 'research-hub' }],
      [{ kind: 'ServiceAccount', name: 'jupyter-service-discovery', namespace: 'research-hub' }],
    ]);
  });

  it('ships the init script file unchanged in its ConfigMap', () => {
    const manifests = synthChart((chart) => new DiscoveryRbacConstruct(chart, 'discovery'));
    const configMap: any = find(manifests, 'ConfigMap', 'jupyter-service-discovery-script');
    expect(configMap.data['service-discovery-init.sh']).toBe(script);
  });

  it('registers the hub per the service-discovery contract and exports JUPYTERHUB_URL', () => {
    const manifests = synthChart((chart) => new DiscoveryRbacConstruct(chart, 'discovery', { config: customConfig }));
    const registration: any = find(manifests, 'ConfigMap', 'thinkube-service-config');
    expect(registration.metadata.labels).toEqual({
      'thinkube.io/managed': 'true',
      'thinkube.io/service-type': 'core',
      'thinkube.io/service-name': 'jupyterhub',
      'thinkube.io/component-version': '4.2.0',
    });
    const { service } = parse(registration.data['service.yaml']);
    expect(service).toMatchObject({
      name: 'jupyterhub', display_name: 'Thinkube AI Lab', category: 'ai', icon: '/icons/tk_ai.svg', type: 'core',
      endpoints: [{ name: 'web', url: 'https://jupyter.lab.acme.io/hub/oauth_login?next=', health_url: 'https://jupyter.lab.acme.io/hub/api', primary: true }],
      scaling: { resource_type: 'deployment', resource_name: 'hub', namespace: 'research-hub', min_replicas: 1, can_disable: true },
      environment_variables: [{ name: 'JUPYTERHUB_URL', value: 'https://jupyter.lab.acme.io' }],
    });
  });

  it('binds under a per-namespace name outside the default namespace, so hubs do not take each other\'s binding', () => {
    const manifests = synthChart((chart) => new DiscoveryRbacConstruct(chart, 'discovery', { config: customConfig }));
    expect(find(manifests, 'ClusterRoleBinding').metadata.name).toBe('jupyter-service-discovery-binding-research-hub');
  });

  it('takes other names so several hubs can share a cluster', () => {
    const manifests = synthChart((chart) => {
      const discovery = new DiscoveryRbacConstruct(chart, 'discovery', { serviceAccountName: 'lab-discovery', clusterRoleName: 'lab-configmap-reader', clusterRoleBindingName: 'lab-discovery-binding' });
      expect(ApiObject.of(discovery).kind).toBe('ServiceAccount');
    });
    expect(find(manifests, 'ClusterRoleBinding', 'lab-discovery-binding')).toMatchObject({ roleRef: { name: 'lab-configmap-reader' } });
  });
});
