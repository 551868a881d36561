import { describe, expect, it } from 'vitest';
import { synthesizedObjects } from '../../lib/app/jupyterhub-chart.js';
import { resolveConfig } from '../../lib/config/index.js';
import { planTeardown } from '../../lib/teardown/plan.js';
import { describeTarget } from '../../lib/teardown/target.js';
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

  it('covers every object synth writes', () => {
    const objects = synthesizedObjects(resolveConfig({}));
    const plan = planTeardown(objects);
    expect([...plan.phases.flat(), ...plan.claims, ...plan.namespaces]).toHaveLength(objects.length);
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

  it('lists teardown and import-inventory among the commands', async () => {
    const result = await runCommand(['--help'], {});
    expect(result.stdout).toMatch(/^ {2}teardown +remove what kubectl apply -f dist created/m);
    expect(result.stdout).toMatch(/^ {2}import-inventory +write jupyterhub.config.yaml/m);
  });
});
