import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ThinkubeJupyterHub, resolveConfig } from '../../lib/index.js';
import { kubeUnavailableReason } from '../kube/harness.js';
import { useKube } from '../kube/use-kube.js';
import type { Manifest } from '../support/synth.js';
import { tierUnavailable } from '../support/tier.js';

describe.skipIf(tierUnavailable('kube', kubeUnavailableReason()))('two hubs embedded in one App, on a real kube-apiserver', () => {
  const kube = useKube();

  it('both apply, and each keeps its own HelmChart, cluster RBAC and Secret reader', async () => {
    const app = Testing.app();
    for (const namespace of ['team-a', 'team-b']) {
      const config = resolveConfig({ namespace, discovery: { secretAllowList: [{ namespace: 'gitea', name: 'gitea-admin-token' }] } });
      new ThinkubeJupyterHub(new Chart(app, namespace), 'Hub', { config });
    }
    const manifests = app.charts.flatMap((chart) => Testing.synth(chart) as Manifest[]);
    // The Secret's namespace exists on a Thinkube cluster (gitea's); create it as the cluster would have it.
    await kube().kubectlOk(['create', 'namespace', 'gitea']);
    const applied = await kube().kubectlOk(['apply', '-f', '-'], { input: manifests.map((m) => stringify(m)).join('---\n') });
    // Every object created once: none was another hub's, configured again.
    expect(applied.split('\n').filter((line) => line.endsWith(' created')).length).toBe(manifests.length);
    const charts = JSON.parse(await kube().kubectlOk(['-n', 'kube-system', 'get', 'helmcharts', '-o', 'json'])).items;
    expect(charts.map((c: any) => [c.metadata.name, c.spec.targetNamespace]).sort()).toEqual([['jupyterhub-team-a', 'team-a'], ['jupyterhub-team-b', 'team-b']]);
    for (const namespace of ['team-a', 'team-b']) {
      const binding = JSON.parse(await kube().kubectlOk(['get', 'clusterrolebinding', `jupyter-service-discovery-binding-${namespace}`, '-o', 'json']));
      expect(binding.roleRef.name).toBe(`jupyter-configmap-reader-${namespace}`);
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'jupyter-service-discovery', namespace }]);
      const canRead = await kube().kubectlOk(['auth', 'can-i', 'get', 'secret/gitea-admin-token', '-n', 'gitea',
        `--as=system:serviceaccount:${namespace}:jupyter-service-discovery`]);
      expect(canRead.trim()).toBe('yes');
    }
  }, 120_000);
});
