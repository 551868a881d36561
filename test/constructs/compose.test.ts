import { App, Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { DiscoveryRbacConstruct, HubHelmConstruct, IngressConstruct, StorageConstruct, ThinkubeJupyterHub, resolveConfig } from '../../lib/index.js';
import { type Manifest, find, synthChart, valuesOf } from '../support/synth.js';

/** Every object of the App, as `kind namespace/name`, once per occurrence. */
function identities(app: App): string[] {
  return app.charts.flatMap((chart) => Testing.synth(chart) as Manifest[])
    .map((m) => `${m.kind} ${m.metadata.namespace ?? ''}/${m.metadata.name}`);
}

describe('constructs compose safely', () => {
  it('a hub built on storage and discovery takes their configuration; the Ingress takes the hub\'s', () => {
    const config = resolveConfig({ namespace: 'team-a', domainName: 'a.example.org' });
    const manifests = synthChart((chart) => {
      const storage = new StorageConstruct(chart, 'Storage', { config });
      const discovery = new DiscoveryRbacConstruct(chart, 'Discovery', { config });
      const hub = new HubHelmConstruct(chart, 'Hub', { storage, discovery });
      const ingress = new IngressConstruct(chart, 'Ingress', { hub });
      expect(hub.config).toBe(config);
      expect(ingress.config).toBe(config);
    });
    expect((find(manifests, 'HelmChart') as any).spec.targetNamespace).toBe('team-a');
    expect(find(manifests, 'Ingress').metadata.namespace).toBe('team-a');
    expect((find(manifests, 'Ingress') as any).spec.rules[0].host).toBe('jupyter.a.example.org');
  });

  it('refuses a hub whose configuration differs from its storage\'s, naming both values', () => {
    expect(() => synthChart((chart) => {
      const storage = new StorageConstruct(chart, 'Storage', { config: resolveConfig({ namespace: 'team-a' }) });
      const discovery = new DiscoveryRbacConstruct(chart, 'Discovery', { config: resolveConfig({ namespace: 'team-a' }) });
      new HubHelmConstruct(chart, 'Hub', { config: resolveConfig({ namespace: 'team-b' }), storage, discovery });
    })).toThrow('HubHelmConstruct: config.namespace is "team-b", but props.storage was built with "team-a"; pass the same config to both');
  });

  it('refuses an Ingress whose configuration differs from the hub\'s', () => {
    expect(() => synthChart((chart) => {
      const config = resolveConfig({});
      const storage = new StorageConstruct(chart, 'Storage', { config });
      const discovery = new DiscoveryRbacConstruct(chart, 'Discovery', { config });
      const hub = new HubHelmConstruct(chart, 'Hub', { storage, discovery });
      new IngressConstruct(chart, 'Ingress', { hub, config: resolveConfig({ hostname: 'other.example.com' }) });
    })).toThrow(/IngressConstruct: config\.hostname is "other\.example\.com", but props\.hub was built with "jupyter\.example\.com"/);
  });

  it('honours the enclosing Chart\'s namespace, and refuses a config that names another', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'ml', { namespace: 'ml-team' });
    const storage = new StorageConstruct(chart, 'Storage');
    expect(storage.config.namespace).toBe('ml-team');
    expect((Testing.synth(chart) as Manifest[]).map((m) => m.metadata.namespace)).toEqual(['ml-team', 'ml-team', 'ml-team']);
    const other = new Chart(app, 'other', { namespace: 'ml-team' });
    expect(() => new StorageConstruct(other, 'Storage', { config: resolveConfig({}) }))
      .toThrow('StorageConstruct: config.namespace is "jupyterhub", but the enclosing Chart\'s namespace is "ml-team"; set config.namespace to "ml-team"');
  });

  it('two hubs in one App, in two namespaces, share no object', () => {
    const app = Testing.app();
    for (const namespace of ['team-a', 'team-b']) {
      const config = resolveConfig({ namespace, discovery: { secretAllowList: [{ namespace: 'gitea', name: 'gitea-admin-token' }] } });
      new ThinkubeJupyterHub(new Chart(app, namespace), 'Hub', { config });
    }
    const all = identities(app);
    expect(all.filter((id, i) => all.indexOf(id) !== i)).toEqual([]);
    expect(all).toEqual(expect.arrayContaining([
      'HelmChart kube-system/jupyterhub-team-a', 'HelmChart kube-system/jupyterhub-team-b',
      'ClusterRole /jupyter-configmap-reader-team-a', 'ClusterRole /jupyter-configmap-reader-team-b',
      'Role gitea/jupyter-service-discovery-secrets-team-a', 'Role gitea/jupyter-service-discovery-secrets-team-b',
      'ConfigMap team-a/thinkube-service-config', 'ConfigMap team-b/thinkube-service-config',
    ]));
  });

  it('discovery.allowSecretRead grants one more Secret and opens its namespace to the notebooks', () => {
    const manifests = synthChart((chart) => {
      const hub = new ThinkubeJupyterHub(chart, 'Hub', { config: resolveConfig({ discovery: { secretAllowList: [{ namespace: 'gitea', name: 'a' }] } }) });
      hub.discovery.allowSecretRead({ namespace: 'gitea', name: 'b' });
      hub.discovery.allowSecretRead({ namespace: 'mlflow', name: 'mlflow-db' });
    });
    const roles = manifests.filter((m) => m.kind === 'Role') as any[];
    expect(roles.map((r) => [r.metadata.namespace, r.rules[0].resourceNames])).toEqual([['gitea', ['a', 'b']], ['mlflow', ['mlflow-db']]]);
    expect(manifests.filter((m) => m.kind === 'RoleBinding').map((m) => m.metadata.namespace)).toEqual(['gitea', 'mlflow']);
    const egress = valuesOf(manifests).singleuser.networkPolicy.egress[0];
    expect(egress.to[0].namespaceSelector.matchExpressions[0].values).toEqual(expect.arrayContaining(['gitea', 'mlflow']));
  });
});
