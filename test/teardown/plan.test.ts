import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthesizedObjects } from '../../lib/app/jupyterhub-chart.js';
import { resolveConfig } from '../../lib/config/index.js';
import { planTeardown } from '../../lib/teardown/plan.js';
import { describeTarget } from '../../lib/teardown/target.js';
import { silentServer, writeTokenKubeconfig } from '../support/kubeconfig.js';
import { tempDir } from '../support/temp-dir.js';
import { runCommand } from './run-teardown.js';

describe('the teardown plan of the synthesized objects', () => {
  it('deletes the Ingress, then the HelmChart, then namespaced and cluster-scoped objects; claims and namespace are data', () => {
    const plan = planTeardown(synthesizedObjects(resolveConfig({ discovery: { secretAllowList: [{ namespace: 'gitea', name: 'gitea-admin-token' }] } })));
    expect(plan.phases.map((phase) => phase.map(describeTarget))).toEqual([
      ['Ingress jupyterhub/jupyterhub'],
      ['HelmChart kube-system/jupyterhub'],
      [
        'ServiceAccount jupyterhub/jupyter-service-discovery',
        'Role gitea/jupyter-service-discovery-secrets',
        'RoleBinding gitea/jupyter-service-discovery-secrets',
        'ConfigMap jupyterhub/jupyter-service-discovery-script',
        'ConfigMap jupyterhub/thinkube-service-config',
      ],
      ['ClusterRole jupyter-configmap-reader', 'ClusterRoleBinding jupyter-service-discovery-binding'],
    ]);
    expect(plan.claims.map(describeTarget)).toEqual([
      'PersistentVolumeClaim jupyterhub/jupyterhub-notebooks-pvc',
      'PersistentVolumeClaim jupyterhub/jupyterhub-datasets-pvc',
      'PersistentVolumeClaim jupyterhub/jupyterhub-models-pvc',
    ]);
    expect(plan.namespaces.map(describeTarget)).toEqual(['Namespace jupyterhub']);
  });

  it('covers every object synth writes, for every delivery', () => {
    for (const delivery of ['helmChart', 'helmChartWithController', 'fluxHelmRelease', 'helmValues'] as const) {
      const objects = synthesizedObjects(resolveConfig({ delivery }));
      const plan = planTeardown(objects);
      expect([...plan.phases.flat(), ...plan.claims, ...plan.namespaces, ...plan.shared], delivery).toHaveLength(objects.length);
    }
  });

  it('keeps the helm-controller and its CRDs, which other HelmCharts of the cluster depend on', () => {
    const plan = planTeardown(synthesizedObjects(resolveConfig({ delivery: 'helmChartWithController' })));
    const shared = plan.shared.map(describeTarget);
    expect(shared).toEqual(expect.arrayContaining([
      'CustomResourceDefinition helmcharts.helm.cattle.io', 'CustomResourceDefinition helmchartconfigs.helm.cattle.io',
      'Deployment helm-controller/helm-controller', 'ClusterRole helm-controller', 'Namespace helm-controller',
    ]));
    const deleted = [...plan.phases.flat(), ...plan.namespaces].map(describeTarget);
    expect(deleted.filter((name) => /helm-controller|CustomResourceDefinition/.test(name))).toEqual([]);
    expect(plan.phases[1].map(describeTarget)).toEqual(['HelmChart kube-system/jupyterhub']);
  });

  it('removes the HTTPRoute with the routes and the Flux HelmRelease as the chart object', () => {
    const plan = planTeardown(synthesizedObjects(resolveConfig({
      delivery: 'fluxHelmRelease', routing: 'gatewayApi', gateway: { parentRef: { name: 'main', namespace: 'gateways' } },
    })));
    expect(plan.phases[0].map((t) => t.kind)).toEqual(['HTTPRoute']);
    expect(plan.phases[1].map((t) => t.kind)).toEqual(['HelmRelease']);
  });
});

describe('teardown refuses before touching a cluster', () => {
  const unreachable = { KUBECONFIG: '/nonexistent/kubeconfig' };

  it.each([
    [['--delete-data'], 'confirm by adding --confirm-namespace jupyterhub'],
    [['--delete-data', '--confirm-namespace', 'other'], '--confirm-namespace "other" is not the hub namespace "jupyterhub"'],
    [['--confirm-namespace', 'jupyterhub'], '--confirm-namespace only confirms --delete-data'],
    [['--delete-data', '--confirm-namespace', 'jupyterhub', '--legacy'], '--delete-data does not combine with --legacy'],
    [['--timeout', 'soon'], '--timeout "soon" is not a number of seconds'],
    [['--bogus'], 'Unknown option \'--bogus\''],
  ])('teardown %j: exit 2', async (args, message) => {
    const result = await runCommand(['teardown', ...args], unreachable);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  it('gives up on an API server that accepts connections and never answers: exit 6 in bounded time', async () => {
    const silent = await silentServer();
    try {
      const kubeconfig = writeTokenKubeconfig(join(tempDir('tjh-teardown-silent'), 'silent'), { name: 'silent', server: `https://127.0.0.1:${silent.port}`, token: 'nothing' });
      const started = Date.now();
      const result = await runCommand(['teardown'], { KUBECONFIG: kubeconfig });
      expect(result.stderr).toMatch(/cluster https:\/\/127\.0\.0\.1:\d+ \(context "silent"\) did not answer in time while deleting Ingress jupyterhub\/jupyterhub, also after retries: check KUBECONFIG/);
      expect(result.code).toBe(6);
      // 4 attempts with a 10 s deadline each and the backoff between them; without a deadline, teardown waits for good.
      expect(Date.now() - started).toBeLessThan(75_000);
    } finally {
      await silent.close();
    }
  }, 120_000);

  it('lists teardown and import-inventory among the commands', async () => {
    const result = await runCommand(['--help'], {});
    expect(result.stdout).toMatch(/^ {2}teardown +remove what kubectl apply -f dist created/m);
    expect(result.stdout).toMatch(/^ {2}import-inventory +write jupyterhub.config.yaml/m);
  });
});
