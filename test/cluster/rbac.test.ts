import { beforeAll, describe, expect, it } from 'vitest';
import { kubeUnavailableReason } from '../kube/harness.js';
import { useKube } from '../kube/use-kube.js';
import { tierUnavailable } from '../support/tier.js';
import { configFile, hubPython, kubeSpawnerPod, synthFor } from './support.js';
import { tempDir } from '../support/temp-dir.js';

const SA = 'system:serviceaccount:jupyterhub:jupyter-service-discovery';
const TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const CONFIG = { discovery: { secretAllowList: [{ namespace: 'gitea', name: 'gitea-admin-token' }] } };

describe.skipIf(tierUnavailable('kube', kubeUnavailableReason()))('least-privilege discovery RBAC on a real kube-apiserver', () => {
  const kube = useKube();
  let saKubeconfig: string;

  beforeAll(async () => {
    const k = kube();
    await k.kubectlOk(['create', 'namespace', 'gitea']);
    await k.kubectlOk(['create', 'secret', 'generic', 'gitea-admin-token', '-n', 'gitea', '--from-literal=token=allowed']);
    await k.kubectlOk(['create', 'secret', 'generic', 'gitea-db', '-n', 'gitea', '--from-literal=password=forbidden']);
    await k.kubectlOk(['apply', '-f', synthFor(CONFIG).outdir]);
    await k.kubectlOk(['create', 'secret', 'generic', 'jupyterhub-oidc-secret', '-n', 'jupyterhub', '--from-literal=client_secret=forbidden']);
    saKubeconfig = await k.serviceAccountKubeconfig('jupyterhub', 'jupyter-service-discovery');
  }, 120_000);

  const canI = async (...args: string[]) => (await kube().kubectl(['auth', 'can-i', `--as=${SA}`, ...args])).stdout.trim();

  it.each([
    [['list', 'configmaps', '--all-namespaces'], 'yes'],
    [['get', 'configmaps', '-n', 'gitea'], 'yes'],
    [['get', 'secret/gitea-admin-token', '-n', 'gitea'], 'yes'],
    [['get', 'secret/gitea-db', '-n', 'gitea'], 'no'],
    [['get', 'secret/jupyterhub-oidc-secret', '-n', 'jupyterhub'], 'no'],
    [['list', 'secrets', '-n', 'gitea'], 'no'],
    [['list', 'secrets', '--all-namespaces'], 'no'],
    [['watch', 'secrets', '-n', 'gitea'], 'no'],
    [['create', 'configmaps', '-n', 'jupyterhub'], 'no'],
    [['update', 'configmaps', '-n', 'gitea'], 'no'],
    [['delete', 'pods', '-n', 'jupyterhub'], 'no'],
    [['update', 'secret/gitea-admin-token', '-n', 'gitea'], 'no'],
    [['create', 'serviceaccounts/token', '-n', 'jupyterhub'], 'no'],
  ])('can-i %j → %s', async (args, answer) => {
    expect(await canI(...args)).toBe(answer);
  });

  it('a real token of the identity reads the allow-listed Secret and nothing more', async () => {
    const k = kube();
    const as = { kubeconfig: saKubeconfig };
    expect(await k.kubectlOk(['get', 'secret', 'gitea-admin-token', '-n', 'gitea', '-o', 'jsonpath={.metadata.name}'], as)).toBe('gitea-admin-token');
    for (const args of [['get', 'secret', 'gitea-db', '-n', 'gitea'], ['get', 'secrets', '-n', 'gitea'], ['get', 'secrets', '-A'], ['create', 'configmap', 'x', '-n', 'jupyterhub']]) {
      const result = await k.kubectl(args, as);
      expect(result.code, args.join(' ')).not.toBe(0);
      expect(result.stderr).toMatch(/forbidden/i);
    }
    expect(await k.kubectlOk(['get', 'configmaps', '-A', '-l', 'thinkube.io/managed=true', '-o', 'name'], as)).toContain('configmap/thinkube-service-config');
  });

  const python = hubPython();
  // Each kubeSpawnerPod renders the chart with helm and runs the chart's hub config: 10 to 20 s on a loaded 2-core CI machine.
  const KUBESPAWNER_TIMEOUT = 60_000;
  it.skipIf(tierUnavailable('python', python.reason))('the pod KubeSpawner builds gets a token in the discovery init container only', async () => {
    const k = kube();
    const pod = kubeSpawnerPod(python.python!, configFile(tempDir('tjh-rbac'), CONFIG));
    await k.kubectlOk(['create', '-n', 'jupyterhub', '-f', '-'], { input: JSON.stringify(pod) });
    const admitted = JSON.parse(await k.kubectlOk(['get', 'pod', '-n', 'jupyterhub', pod.metadata.name, '-o', 'json']));
    expect(admitted.spec.serviceAccountName).toBe('jupyter-service-discovery');
    expect(admitted.spec.automountServiceAccountToken).toBe(false);
    expect(admitted.spec.volumes.map((v: any) => v.name).filter((n: string) => n.startsWith('kube-api-access'))).toEqual([]);
    const mountsOf = (c: any) => (c.volumeMounts ?? []).map((m: any) => m.mountPath);
    expect(admitted.spec.containers.map((c: any) => c.name)).toEqual(['notebook']);
    expect(mountsOf(admitted.spec.containers[0])).not.toContain(TOKEN_PATH);
    const byName = Object.fromEntries(admitted.spec.initContainers.map((c: any) => [c.name, c]));
    expect(mountsOf(byName['service-discovery'])).toContain(TOKEN_PATH);
    for (const name of ['fix-permissions', 'clone-examples']) expect(mountsOf(byName[name])).not.toContain(TOKEN_PATH);
  }, KUBESPAWNER_TIMEOUT);

  it.skipIf(tierUnavailable('python', python.reason))('admits two users\' pods, each mounting its own folder of the notebooks claim', async () => {
    const k = kube();
    const config = configFile(tempDir('tjh-workspaces'), CONFIG);
    const folders: Record<string, string> = {};
    for (const [user, folder] of [['bo', 'users/bo'], ['Ana.Maria@example.org', 'users/-41na-2e-4daria-40example-2eorg']]) {
      const pod = kubeSpawnerPod(python.python!, config, user);
      await k.kubectlOk(['create', '-n', 'jupyterhub', '-f', '-'], { input: JSON.stringify(pod) });
      const admitted = JSON.parse(await k.kubectlOk(['get', 'pod', '-n', 'jupyterhub', pod.metadata.name, '-o', 'json']));
      const notebooks = admitted.spec.containers[0].volumeMounts.find((m: any) => m.name === 'notebooks');
      expect(notebooks).toEqual({ name: 'notebooks', mountPath: '/home/jovyan/thinkube/notebooks', subPath: folder });
      const init = admitted.spec.initContainers.find((c: any) => c.name === 'fix-permissions');
      expect(init.env).toContainEqual({ name: 'NOTEBOOK_WORKSPACE', value: folder });
      folders[user] = notebooks.subPath;
    }
    expect(new Set(Object.values(folders)).size).toBe(2);
  }, 2 * KUBESPAWNER_TIMEOUT);
});
