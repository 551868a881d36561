import { beforeAll, describe, expect, it } from 'vitest';
import { tierUnavailable } from '../support/tier.js';
import { kubeUnavailableReason } from './harness.js';
import { useKube } from './use-kube.js';

describe.skipIf(tierUnavailable('kube', kubeUnavailableReason()))('kube harness', () => {
  const kube = useKube();

  it('serves a ready API of the built version on 127.0.0.1', async () => {
    expect(kube().server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await kube().kubectlOk(['get', '--raw', '/readyz'])).toBe('ok');
    const version = JSON.parse(await kube().kubectlOk(['version', '-o', 'json'])) as {
      serverVersion: { gitVersion: string };
      clientVersion: { gitVersion: string };
    };
    expect(version.serverVersion.gitVersion).toBe(kube().version);
    expect(version.clientVersion.gitVersion).toBe(kube().version);
  });

  it('serves the HelmChart CRD', async () => {
    const result = await kube().kubectl(['get', 'helmcharts.helm.cattle.io', '-A']);
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
  });

  it('runs the controllers a real cluster has', async () => {
    await kube().kubectlOk(['create', 'namespace', 'harness-controllers']);
    // The service-account and root-CA controllers populate a new namespace.
    await expect.poll(
      async () => (await kube().kubectl(['-n', 'harness-controllers', 'get', 'serviceaccount/default', 'configmap/kube-root-ca.crt'])).code,
      { timeout: 20_000, interval: 250 },
    ).toBe(0);
  });

  describe('RBAC', () => {
    const namespace = 'harness-rbac';
    const serviceAccount = 'no-bindings';
    const subject = `system:serviceaccount:${namespace}:${serviceAccount}`;
    const canListSecrets = async (): Promise<string> =>
      (await kube().kubectl(['auth', 'can-i', 'list', 'secrets', '-n', namespace, `--as=${subject}`])).stdout.trim();

    beforeAll(async () => {
      await kube().kubectlOk(['create', 'namespace', namespace]);
      await kube().kubectlOk(['-n', namespace, 'create', 'serviceaccount', serviceAccount]);
      await kube().kubectlOk(['-n', namespace, 'create', 'secret', 'generic', 'canary', '--from-literal=k=v']);
    });

    it('denies a service account without bindings, by policy and on a real request', async () => {

      const canI = await kube().kubectl(['auth', 'can-i', 'list', 'secrets', '-n', namespace, `--as=${subject}`]);
      expect(canI.stdout.trim()).toBe('no');
      expect(canI.code).not.toBe(0);

      const asServiceAccount = await kube().serviceAccountKubeconfig(namespace, serviceAccount);
      const whoami = await kube().kubectlOk(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], {
        kubeconfig: asServiceAccount,
      });
      expect(whoami).toBe(subject);
      const denied = await kube().kubectl(['-n', namespace, 'get', 'secrets'], { kubeconfig: asServiceAccount });
      expect(denied.code).not.toBe(0);
      expect(denied.stderr).toMatch(/\(Forbidden\)/);
      expect(denied.stdout).not.toContain('canary');
    });

    it('allows the same request once a Role grants it', async () => {
      await kube().kubectlOk(['-n', namespace, 'create', 'role', 'list-secrets', '--verb=list', '--resource=secrets']);
      await kube().kubectlOk([
        '-n', namespace, 'create', 'rolebinding', 'list-secrets', '--role=list-secrets', `--serviceaccount=${namespace}:${serviceAccount}`,
      ]);
      // RBAC reads bindings from an informer cache: allow it a moment.
      await expect.poll(canListSecrets, { timeout: 10_000, interval: 200 }).toBe('yes');
      const asServiceAccount = await kube().serviceAccountKubeconfig(namespace, serviceAccount);
      const listed = await kube().kubectlOk(['-n', namespace, 'get', 'secrets', '-o', 'name'], { kubeconfig: asServiceAccount });
      expect(listed).toContain('secret/canary');
    });
  });
});
