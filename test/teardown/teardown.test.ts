import { describe, expect, it } from 'vitest';
import { synthFor } from '../cluster/support.js';
import { kubeUnavailableReason } from '../kube/harness.js';
import { useKube } from '../kube/use-kube.js';
import { tierUnavailable } from '../support/tier.js';
import { runCommand } from './run-teardown.js';

const CLAIMS = ['jupyterhub-notebooks-pvc', 'jupyterhub-datasets-pvc', 'jupyterhub-models-pvc'];
/** The finalizer the helm-controller puts on a HelmChart until its helm-delete Job has uninstalled the release. */
const HELM_CONTROLLER_FINALIZER = 'wrangler.cattle.io/on-helm-chart-remove';

describe.skipIf(tierUnavailable('kube', kubeUnavailableReason()))('teardown on a real kube-apiserver', () => {
  const kube = useKube();
  const teardown = (...args: string[]) => runCommand(['teardown', ...args], { KUBECONFIG: kube().kubeconfig });
  const exists = async (...args: string[]) => (await kube().kubectl(['get', ...args])).code === 0;
  const claimUids = async () => (await kube().kubectlOk(['get', 'pvc', '-n', 'jupyterhub', ...CLAIMS, '-o', 'jsonpath={.items[*].metadata.uid}'])).split(' ');
  /** Every object of dist with its resourceVersion: what "changed nothing" is checked on. */
  const snapshot = async (dist: string) => kube().kubectlOk(['get', '-f', dist, '--ignore-not-found', '-o', 'jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.resourceVersion}{"\\n"}{end}']);
  /** The snapshot once controllers have finished writing to new objects (the namespace controller does after create). */
  const settled = async (dist: string) => {
    let previous = await snapshot(dist);
    for (let i = 0; i < 20; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const current = await snapshot(dist);
      if (current === previous) return current;
      previous = current;
    }
    throw new Error('objects kept changing without any apply');
  };
  const ours = [
    ['helmchart', '-n', 'kube-system', 'jupyterhub'],
    ['clusterrole', 'jupyter-configmap-reader'],
    ['clusterrolebinding', 'jupyter-service-discovery-binding'],
    ['serviceaccount', '-n', 'jupyterhub', 'jupyter-service-discovery'],
    ['configmap', '-n', 'jupyterhub', 'jupyter-service-discovery-script'],
    ['configmap', '-n', 'jupyterhub', 'thinkube-service-config'],
    ['ingress', '-n', 'jupyterhub', 'jupyterhub'],
  ];

  it('apply, marker, teardown, apply again: claims and namespace keep their identity; the HelmChart and RBAC were really gone', async () => {
    const { outdir } = synthFor({});
    const k = kube();
    await k.kubectlOk(['apply', '-f', outdir]);
    await k.kubectlOk(['annotate', 'pvc', '-n', 'jupyterhub', ...CLAIMS, 'test.thinkube.io/marker=user-work']);
    await k.kubectlOk(['create', 'configmap', '-n', 'jupyterhub', 'user-marker', '--from-literal=work=precious']);
    // A notebook the hub started (KubeSpawner's label): not apply's, so teardown only names it.
    await k.kubectlOk(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'jupyter-ana', namespace: 'jupyterhub', labels: { component: 'singleuser-server' } },
        spec: { automountServiceAccountToken: false, containers: [{ name: 'notebook', image: 'quay.io/jupyter/base-notebook' }] },
      }),
    });
    const uids = await claimUids();
    const namespaceUid = await k.kubectlOk(['get', 'ns', 'jupyterhub', '-o', 'jsonpath={.metadata.uid}']);

    const dry = await teardown('--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('HelmChart kube-system/jupyterhub: would delete');
    expect(dry.stdout).toContain('ClusterRole jupyter-configmap-reader: would delete');
    expect(dry.stdout).toContain('PersistentVolumeClaim jupyterhub/jupyterhub-notebooks-pvc: kept (user data; --delete-data removes it)');
    expect(dry.stdout).toMatch(/Namespace jupyterhub: kept: holds 3 claims/);
    expect(dry.stdout).toContain('teardown: dry run, nothing was changed');
    const before = await settled(outdir);
    expect(await snapshot(outdir)).toBe(before);

    const result = await teardown();
    expect(result.code, result.stderr).toBe(0);
    // Ingress first, then the HelmChart, then the rest; data last and kept.
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('Ingress jupyterhub/jupyterhub: deleted');
    expect(lines[1]).toBe('HelmChart kube-system/jupyterhub: deleted (its controller uninstalled the release)');
    expect(lines.slice(-2)).toEqual(['Namespace jupyterhub: kept: holds 3 claims (jupyterhub-datasets-pvc, jupyterhub-models-pvc, jupyterhub-notebooks-pvc)', 'teardown: done']);
    expect(result.stderr).toContain('WARNING: 1 notebook pod still runs in namespace jupyterhub (jupyter-ana): once their users have saved their work, kubectl -n jupyterhub delete pods -l component=singleuser-server');
    for (const object of ours) expect(await exists(...object), object.join(' ')).toBe(false);
    expect(await claimUids()).toEqual(uids);
    expect(await k.kubectlOk(['get', 'pvc', '-n', 'jupyterhub', 'jupyterhub-models-pvc', '-o', 'jsonpath={.metadata.annotations.test\\.thinkube\\.io/marker}'])).toBe('user-work');
    expect(await k.kubectlOk(['get', 'configmap', '-n', 'jupyterhub', 'user-marker', '-o', 'jsonpath={.data.work}'])).toBe('precious');

    await k.kubectlOk(['delete', 'pod', '-n', 'jupyterhub', 'jupyter-ana', '--wait=true']);
    const again = await teardown();
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('HelmChart kube-system/jupyterhub: absent');

    await k.kubectlOk(['apply', '-f', outdir]);
    for (const object of ours) expect(await exists(...object), object.join(' ')).toBe(true);
    expect(await claimUids()).toEqual(uids);
    expect(await k.kubectlOk(['get', 'ns', 'jupyterhub', '-o', 'jsonpath={.metadata.uid}'])).toBe(namespaceUid);
  });

  it('waits for the helm-controller to uninstall the release before touching the rest, and a second run finishes', async () => {
    const k = kube();
    const { outdir } = synthFor({});
    await k.kubectlOk(['apply', '-f', outdir]);
    await k.kubectlOk(['patch', 'helmchart', '-n', 'kube-system', 'jupyterhub', '--type=merge', '-p', JSON.stringify({ metadata: { finalizers: [HELM_CONTROLLER_FINALIZER] } })]);

    const stuck = await teardown('--timeout', '2');
    expect(stuck.code).toBe(1);
    expect(stuck.stderr).toContain('HelmChart kube-system/jupyterhub is still being removed after 2 s');
    expect(stuck.stderr).toContain('kubectl -n kube-system logs job/helm-delete-jupyterhub');
    expect(await exists('ingress', '-n', 'jupyterhub', 'jupyterhub')).toBe(false);
    expect(await k.kubectlOk(['get', 'helmchart', '-n', 'kube-system', 'jupyterhub', '-o', 'jsonpath={.metadata.deletionTimestamp}'])).not.toBe('');
    expect(await exists('clusterrole', 'jupyter-configmap-reader')).toBe(true);
    expect(await exists('serviceaccount', '-n', 'jupyterhub', 'jupyter-service-discovery')).toBe(true);

    // What the helm-controller does once its helm-delete Job has finished.
    await k.kubectlOk(['patch', 'helmchart', '-n', 'kube-system', 'jupyterhub', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    const finished = await teardown('--timeout', '10');
    expect(finished.code, finished.stderr).toBe(0);
    for (const object of ours) expect(await exists(...object), object.join(' ')).toBe(false);
  });

  it('refuses --delete-data without the namespace typed to confirm, and deletes everything with it', async () => {
    const k = kube();
    const { outdir } = synthFor({});
    await k.kubectlOk(['apply', '-f', outdir]);
    const before = await settled(outdir);

    const unconfirmed = await teardown('--delete-data');
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('--delete-data deletes the claims and namespace "jupyterhub" with every user\'s files: confirm by adding --confirm-namespace jupyterhub');
    const wrong = await teardown('--delete-data', '--confirm-namespace', 'jupyterhub-old');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--confirm-namespace "jupyterhub-old" is not the hub namespace "jupyterhub"');
    expect(await snapshot(outdir)).toBe(before);

    const dry = await teardown('--dry-run', '--delete-data', '--confirm-namespace', 'jupyterhub');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('PersistentVolumeClaim jupyterhub/jupyterhub-notebooks-pvc: would delete');
    expect(dry.stdout).toContain('Namespace jupyterhub: would delete');
    expect(await snapshot(outdir)).toBe(before);

    const result = await teardown('--delete-data', '--confirm-namespace', 'jupyterhub', '--timeout', '60');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('PersistentVolumeClaim jupyterhub/jupyterhub-notebooks-pvc: deleted');
    expect(result.stdout).toContain('Namespace jupyterhub: deleted');
    expect(await exists('namespace', 'jupyterhub')).toBe(false);
    expect(await exists('helmchart', '-n', 'kube-system', 'jupyterhub')).toBe(false);
  });

  it('--legacy removes only the playbook\'s Ingress', async () => {
    const k = kube();
    const { outdir } = synthFor({});
    await k.kubectlOk(['apply', '-f', outdir]);
    await k.kubectlOk(['create', 'ingress', '-n', 'jupyterhub', 'jupyterhub-ingress', '--class=nginx', '--rule=jupyter.example.com/*=proxy-public:80']);
    const before = await settled(outdir);
    const result = await teardown('--legacy');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('Ingress jupyterhub/jupyterhub-ingress: deleted\nteardown: done\n');
    expect(await exists('ingress', '-n', 'jupyterhub', 'jupyterhub-ingress')).toBe(false);
    expect(await snapshot(outdir)).toBe(before);
  });
});
