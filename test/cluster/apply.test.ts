import { describe, expect, it } from 'vitest';
import { kubeUnavailableReason } from '../kube/harness.js';
import { useKube } from '../kube/use-kube.js';
import { tierUnavailable } from '../support/tier.js';
import { synthFor } from './support.js';

const versions = async (kubectl: (args: string[]) => Promise<string>, dist: string) =>
  (await kubectl(['get', '-f', dist, '-o', 'jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.resourceVersion}{"\\n"}{end}'])).trim();

/**
 * The live objects without resourceVersion: a no-op server-side apply of a
 * PersistentVolumeClaim still bumps its resourceVersion on this API server
 * (content and managedFields unchanged; client-side apply does not), so for
 * server-side apply "changes nothing" is checked on content.
 */
async function liveContent(kubectl: (args: string[]) => Promise<string>, dist: string): Promise<unknown[]> {
  const list = JSON.parse(await kubectl(['get', '-f', dist, '-o', 'json', '--show-managed-fields']));
  return list.items.map((item: any) => {
    delete item.metadata.resourceVersion;
    return item;
  });
}

/** Resource versions once controllers have finished with the new objects (the namespace controller writes after create). */
async function settledVersions(kubectl: (args: string[]) => Promise<string>, dist: string): Promise<string> {
  let previous = await versions(kubectl, dist);
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const current = await versions(kubectl, dist);
    if (current === previous) return current;
    previous = current;
  }
  throw new Error('objects kept changing without any apply');
}

describe.skipIf(tierUnavailable('kube', kubeUnavailableReason()))('kubectl apply -f dist on a real kube-apiserver', () => {
  const kube = useKube();

  it('server-side apply of the example: succeeds, a second apply changes nothing, kubectl diff is empty', async () => {
    const { outdir } = synthFor({});
    const k = kube();
    const first = await k.kubectlOk(['apply', '--server-side', '--field-manager=thinkube-jupyterhub', '-f', outdir]);
    expect(first).toContain('helmchart.helm.cattle.io/jupyterhub serverside-applied');
    expect((await settledVersions((a) => k.kubectlOk(a), outdir)).split('\n')).toHaveLength(11);
    const before = await liveContent((a) => k.kubectlOk(a), outdir);
    await k.kubectlOk(['apply', '--server-side', '--field-manager=thinkube-jupyterhub', '-f', outdir]);
    expect(await liveContent((a) => k.kubectlOk(a), outdir)).toEqual(before);
    const diff = await k.kubectl(['diff', '--server-side', '--field-manager=thinkube-jupyterhub', '-f', outdir]);
    expect(diff.stdout).toBe('');
    expect(diff.code, diff.stderr).toBe(0);
  });

  it('client-side apply of a non-default config, exactly as a user types it', async () => {
    const k = kube();
    await k.kubectlOk(['create', 'namespace', 'mlflow']);
    const { outdir } = synthFor({
      domainName: 'ml.example.org',
      namespace: 'lab',
      adminUsers: ['ana', 'bo'],
      resources: { gpuLimit: 0 },
      storage: { notebooksCapacity: '10Gi', datasetsCapacity: '2Ti' },
      chart: { releaseName: 'lab-hub' },
      discovery: { secretAllowList: [{ namespace: 'mlflow', name: 'mlflow-credentials' }] },
    });
    const first = await k.kubectlOk(['apply', '-f', outdir]);
    expect(first).toContain('namespace/lab created');
    expect(first).toContain('role.rbac.authorization.k8s.io/jupyter-service-discovery-secrets-lab created');
    const before = await settledVersions((a) => k.kubectlOk(a), outdir);
    const second = await k.kubectlOk(['apply', '-f', outdir]);
    expect(second.trim().split('\n').every((line) => line.endsWith(' unchanged')), second).toBe(true);
    expect(await versions((a) => k.kubectlOk(a), outdir)).toBe(before);
    const diff = await k.kubectl(['diff', '-f', outdir]);
    expect(diff.stdout).toBe('');
    expect(diff.code, diff.stderr).toBe(0);
    const pvc = await k.kubectlOk(['get', 'pvc', '-n', 'lab', 'jupyterhub-datasets-pvc', '-o', 'jsonpath={.spec.resources.requests.storage} {.spec.storageClassName} {.spec.accessModes[0]}']);
    expect(pvc).toBe('2Ti juicefs-rwx ReadWriteMany');
  });
});
