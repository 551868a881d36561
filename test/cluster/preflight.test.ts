import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { preflightCommand } from '../../lib/cli/preflight.js';
import { kubeUnavailableReason } from '../kube/harness.js';
import { useKube } from '../kube/use-kube.js';
import { type FakeThinkubeControl, startFakeThinkubeControl } from '../support/fake-thinkube-control.js';
import { closedPort, silentServer, writeTokenKubeconfig } from '../support/kubeconfig.js';
import { FLUX_CRDS, HELMCHART_CRD, HTTPROUTE_CRD } from '../support/vendor.js';
import { tierUnavailable } from '../support/tier.js';
import { runCommand } from '../teardown/run-teardown.js';
import { configFile } from './support.js';
import { tempDir } from '../support/temp-dir.js';

const GATEWAY_CRD_STAND_IN = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: {
    name: 'gateways.gateway.networking.k8s.io',
    // What the upstream CRDs carry: the API server refuses a *.k8s.io group without it.
    annotations: { 'api-approved.kubernetes.io': 'https://github.com/kubernetes-sigs/gateway-api/pull/2466' },
  },
  spec: {
    group: 'gateway.networking.k8s.io', scope: 'Namespaced', names: { plural: 'gateways', singular: 'gateway', kind: 'Gateway', listKind: 'GatewayList' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
};

const TLS_CRT = Buffer.from('-----BEGIN CERTIFICATE-----\nnot-a-real-certificate\n-----END CERTIFICATE-----\n').toString('base64');

describe.skipIf(tierUnavailable('kube', kubeUnavailableReason()))('preflight against a real kube-apiserver', () => {
  const kube = useKube();
  let control: FakeThinkubeControl;
  let config: string;
  beforeAll(async () => {
    control = await startFakeThinkubeControl();
    config = configFile(tempDir('tjh-preflight'), { thinkubeControl: { url: control.baseUrl } });
  });
  afterAll(async () => control?.stop());

  async function run(args: string[] = [], configPath = config) {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    const io = { stdout: stream, stderr: stream, env: { THINKUBE_JH_CONFIG: configPath }, cwd: process.cwd() };
    const started = Date.now();
    const code = await preflightCommand.run(['--kubeconfig', kube().kubeconfig, ...args], io);
    if (Date.now() - started > 10_000) console.warn(`preflight ${args.join(' ')} took ${String((Date.now() - started) / 1000)} s`);
    return { code, output: Buffer.concat(chunks).toString('utf8') };
  }

  /** The leader Lease of a helm-controller, as the real one renews it. */
  async function renewHelmControllerLease(renewTime: Date) {
    await kube().kubectlOk(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'helm-controller-lock', namespace: 'kube-system' },
        spec: { holderIdentity: 'preflight-test', leaseDurationSeconds: 3600, renewTime: renewTime.toISOString().replace('Z', '000Z') },
      }),
    });
  }

  it('fails on an empty cluster, one line per check, naming the fix', async () => {
    await kube().kubectlOk(['delete', 'crd', 'helmcharts.helm.cattle.io', '--wait=true']);
    const { code, output } = await run();
    expect(code).toBe(1);
    expect(output).toContain('FAIL OIDC Secret jupyterhub/jupyterhub-oidc-secret: is missing: run npm run bootstrap:keycloak');
    expect(output).toContain('FAIL TLS Secret jupyterhub/jupyterhub-tls-secret: is missing: run npm run bootstrap:keycloak (copies default/example-com-tls)');
    expect(output).toContain('FAIL HelmChart CRD helmcharts.helm.cattle.io: is not installed');
    expect(output).toContain('FAIL StorageClass juicefs-rwx: does not exist');
    expect(output).toContain(`ok   thinkube-control ${control.baseUrl}/images/jupyter: lists 3 Jupyter images`);
    expect(output).toContain('ok   Ingresses for jupyter.example.com: none besides ours (jupyterhub/jupyterhub)');
    expect(output).toContain('ok   Volumes of the claims in jupyterhub: no claim is bound yet');
    expect(output).toContain('preflight: 4 of 7 checks failed');
  });

  it('detects nothing on an empty cluster: the deliveries that bring their own reconciler fit, no routing does', async () => {
    const { output } = await run();
    expect(output).toContain('absent CRD helmcharts.helm.cattle.io: not installed');
    expect(output).toContain('absent helm-controller: not running');
    expect(output).toContain('absent CRD helmreleases.helm.toolkit.fluxcd.io: not installed');
    expect(output).toContain('absent Flux controllers: not running: no available Deployment flux-system/source-controller, flux-system/helm-controller');
    expect(output).toContain('absent CRD httproutes.gateway.networking.k8s.io: not installed');
    expect(output).toContain('absent CRD certificates.cert-manager.io: not installed');
    expect(output).toContain('absent IngressClasses: none');
    expect(output).toContain('fits   delivery: helmChartWithController (recommended), also helmValues; not helmChart: the CRD helmcharts.helm.cattle.io is not installed; '
      + 'fluxHelmRelease: the Flux CRDs (helm.toolkit.fluxcd.io/v2, source.toolkit.fluxcd.io/v1) are not installed\n');
    expect(output).toContain('fits   routing: nothing fits; not ingress: no IngressClass nginx (ingress.className); gatewayApi: the CRD httproutes.gateway.networking.k8s.io (v1) is not installed\n');
    expect(output).toContain('fits   tls.mode: nothing fits; not gateway: routing ingress has no Gateway listener; copyWildcard: no Secret default/example-com-tls to copy; '
      + 'certManager: the CRD certificates.cert-manager.io is not installed; existingSecret: no Secret jupyterhub/jupyterhub-tls-secret yet: create it first\n');
    // The example config's delivery, routing and tls.mode (the defaults) fit none of it.
    expect(output).toContain('WARN delivery helmChart does not fit this cluster: the CRD helmcharts.helm.cattle.io is not installed (helmChartWithController would)\n');
    expect(output).toContain('WARN routing ingress does not fit this cluster: no IngressClass nginx (ingress.className)\n');
    expect(output).toContain('WARN tls.mode copyWildcard does not fit this cluster: no Secret default/example-com-tls to copy\n');
    expect(output).toContain('preflight: 4 of 7 checks failed (3 warnings: read the WARN lines)');
  });

  it('passes once everything exists, and never prints the client secret', async () => {
    const k = kube();
    await k.kubectlOk(['apply', '-f', HELMCHART_CRD]);
    await k.kubectlOk(['create', 'namespace', 'jupyterhub']);
    await k.kubectlOk(['create', 'secret', 'generic', 'jupyterhub-oidc-secret', '-n', 'jupyterhub', '--from-literal=client_id=jupyterhub', '--from-literal=client_secret=preflight-secret-sentinel']);
    await k.kubectlOk(['apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'jupyterhub-tls-secret', namespace: 'jupyterhub' }, data: { 'tls.crt': TLS_CRT, 'tls.key': TLS_CRT } }),
    });
    await k.kubectlOk(['apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'juicefs-rwx' }, provisioner: 'csi.juicefs.com' }),
    });
    await k.kubectlOk(['wait', '--for=condition=Established', 'crd/helmcharts.helm.cattle.io']);
    // What makes the default delivery, routing and tls.mode fit: a helm-controller's leader Lease as the real one
    // renews it (test/helm-controller/reconcile.test.ts runs the real one), the IngressClass, the wildcard to copy.
    await renewHelmControllerLease(new Date());
    await k.kubectlOk(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } }) });
    await k.kubectlOk(['create', 'secret', 'generic', 'example-com-tls', '-n', 'default', '--from-literal=tls.crt=x', '--from-literal=tls.key=x']);
    const { code, output } = await run();
    expect(output).toMatch(/found {2}helm-controller: running: Lease kube-system\/helm-controller-lock held by preflight-test, renewed \d+ s ago\n/);
    expect(output).toContain('fits   delivery: helmChart (recommended), also helmValues; not fluxHelmRelease: ');
    expect(output).toContain('helmChartWithController: a helm-controller already runs: a second one would race it\n');
    expect(output).not.toContain('WARN delivery');
    expect(output).toContain('ok   OIDC Secret jupyterhub/jupyterhub-oidc-secret: has client_id and client_secret');
    // No reclaimPolicy means Delete: passes, with a warning that names the safe way to remove the hub.
    expect(output).toContain('WARN StorageClass juicefs-rwx: provisioner csi.juicefs.com, reclaimPolicy Delete: deleting a claim deletes every user\'s files in it.');
    expect(output).toContain('remove the hub with thinkube-jupyterhub teardown');
    expect(output).toContain('preflight: all checks passed (1 warning: read the WARN lines)');
    expect(code).toBe(0);
    expect(output).not.toContain('preflight-secret-sentinel');
  });

  it('passes without a warning when the storage class retains volumes', async () => {
    const k = kube();
    await k.kubectlOk(['delete', 'storageclass', 'juicefs-rwx']);
    await k.kubectlOk(['apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'juicefs-rwx' }, provisioner: 'csi.juicefs.com', reclaimPolicy: 'Retain' }),
    });
    const { code, output } = await run();
    expect(output).toContain('ok   StorageClass juicefs-rwx: provisioner csi.juicefs.com, reclaimPolicy Retain');
    expect(output).toMatch(/preflight: all checks passed\n$/);
    expect(code).toBe(0);
  });

  it('warns about each bound volume that deletes its data with its claim, until it is patched to Retain', async () => {
    const k = kube();
    const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'jupyterhub-notebooks-pvc', namespace: 'jupyterhub' }, spec: { accessModes: ['ReadWriteMany'], storageClassName: 'juicefs-rwx', resources: { requests: { storage: '100Gi' } } } };
    // A statically provisioned volume that the real PV controller binds to the claim.
    const volume = {
      apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'juicefs-notebooks' },
      spec: {
        capacity: { storage: '100Gi' }, accessModes: ['ReadWriteMany'], storageClassName: 'juicefs-rwx', persistentVolumeReclaimPolicy: 'Delete',
        csi: { driver: 'csi.juicefs.com', volumeHandle: 'notebooks' }, claimRef: { namespace: 'jupyterhub', name: 'jupyterhub-notebooks-pvc' },
      },
    };
    await k.kubectlOk(['apply', '-f', '-'], { input: JSON.stringify(volume) });
    await k.kubectlOk(['apply', '-f', '-'], { input: JSON.stringify(claim) });
    await k.kubectlOk(['wait', '--for=jsonpath={.status.phase}=Bound', 'pvc/jupyterhub-notebooks-pvc', '-n', 'jupyterhub', '--timeout=60s']);
    const warned = await run();
    expect(warned.output).toContain('WARN Volumes of the claims in jupyterhub: juicefs-notebooks (claim jupyterhub-notebooks-pvc) has persistentVolumeReclaimPolicy Delete: '
      + 'deleting the claim deletes the data. Keep it with kubectl patch pv juicefs-notebooks -p \'{"spec":{"persistentVolumeReclaimPolicy":"Retain"}}\'');
    expect(warned.code).toBe(0);
    await k.kubectlOk(['patch', 'pv', 'juicefs-notebooks', '-p', '{"spec":{"persistentVolumeReclaimPolicy":"Retain"}}']);
    const kept = await run();
    expect(kept.output).toContain('ok   Volumes of the claims in jupyterhub: 1 bound, none deletes its data with its claim');
    await k.kubectlOk(['delete', 'pvc', '-n', 'jupyterhub', 'jupyterhub-notebooks-pvc', '--wait=true']);
    await k.kubectlOk(['delete', 'pv', 'juicefs-notebooks', '--wait=true']);
  });

  it('names the Ansible playbook\'s Ingress for the same host, and passes once teardown --legacy removed it', async () => {
    const k = kube();
    await k.kubectlOk(['create', 'ingress', '-n', 'jupyterhub', 'jupyterhub-ingress', '--class=nginx', '--rule=jupyter.example.com/*=proxy-public:80']);
    await k.kubectlOk(['create', 'ingress', '-n', 'jupyterhub', 'jupyterhub', '--class=nginx', '--rule=jupyter.example.com/*=proxy-public:80']);
    const legacy = await run();
    expect(legacy.code).toBe(1);
    expect(legacy.output).toContain('FAIL Ingresses for jupyter.example.com: another Ingress routes the same host, '
      + 'Ingress jupyterhub/jupyterhub-ingress (the Ansible playbook\'s): remove it with thinkube-jupyterhub teardown --legacy right before kubectl apply -f dist');

    const removed = await runCommand(['teardown', '--legacy'], { KUBECONFIG: k.kubeconfig, THINKUBE_JH_CONFIG: config });
    expect(removed.code, removed.stderr).toBe(0);
    const after = await run();
    expect(after.output).toContain('ok   Ingresses for jupyter.example.com: none besides ours (jupyterhub/jupyterhub)');
    expect(after.code).toBe(0);

    await k.kubectlOk(['create', 'ingress', '-n', 'default', 'someone-else', '--rule=jupyter.example.com/other=web:80']);
    const foreign = await run();
    expect(foreign.code).toBe(1);
    expect(foreign.output).toContain('Ingress default/someone-else: remove it or give it another host');
    await k.kubectlOk(['delete', 'ingress', '-n', 'default', 'someone-else']);
  });

  it.each([
    ['empty', 'lists no Jupyter image'],
    ['error500', 'answered HTTP 500'],
    ['malformed', 'answered something that is not JSON'],
    ['down', 'unreachable'],
  ])('fails when thinkube-control answers %s', async (scenario, message) => {
    await control.scenario(scenario);
    const { code, output } = await run();
    await control.scenario('ok');
    expect(code).toBe(1);
    expect(output).toMatch(new RegExp(`FAIL thinkube-control .*: ${message}`));
  });

  it('times out on a slow thinkube-control', async () => {
    await control.scenario('slow', 3000);
    const { code, output } = await run(['--timeout', '0.5']);
    await control.scenario('ok');
    expect(code).toBe(1);
    expect(output).toContain('unreachable (no answer in 500 ms)');
  });

  // The same mapping as bootstrap-keycloak and teardown (lib/bootstrap/cluster/kube-failure.ts): the cluster, the request and the fix.
  it('names the cluster, the request and the fix when the cluster refuses the credentials, forbids the read or cannot be reached', async () => {
    const k = kube();
    const dir = tempDir('tjh-preflight-kubeconfig');
    const cluster = String.raw`cluster https://127\.0\.0\.1:\d+`;

    const refused = await run(['--kubeconfig', writeTokenKubeconfig(join(dir, 'refused'), { name: 'refused', server: k.server, token: 'not-a-token', caFile: k.caFile })]);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(new RegExp(`FAIL OIDC Secret jupyterhub/jupyterhub-oidc-secret: ${cluster} \\(context "refused"\\) refused the kubeconfig's credentials \\(401\\) `
      + 'while reading Secret jupyterhub/jupyterhub-oidc-secret: log in again or fix KUBECONFIG'));

    await k.kubectlOk(['create', 'serviceaccount', '-n', 'jupyterhub', 'preflight-no-rights']);
    const forbidden = await run(['--kubeconfig', await k.serviceAccountKubeconfig('jupyterhub', 'preflight-no-rights')]);
    expect(forbidden.code).toBe(1);
    expect(forbidden.output).toMatch(new RegExp(`FAIL OIDC Secret jupyterhub/jupyterhub-oidc-secret: ${cluster} \\(context "[^"]+"\\): the kubeconfig's user may not do this `
      + '\\(403 while reading Secret jupyterhub/jupyterhub-oidc-secret\\): .*cannot get resource "secrets".*: it needs get on secrets in namespace jupyterhub\n'));
    expect(forbidden.output).toContain('(403 while reading StorageClass juicefs-rwx)');
    expect(forbidden.output).toContain('it needs list on ingresses in all namespaces');
    expect(forbidden.output).toContain('preflight: 6 of 7 checks failed');
    expect(forbidden.output).toContain('absent cluster capabilities: not detected: ');
    expect(forbidden.output).toContain('(403 while listing the CustomResourceDefinitions)');

    const gone = await run(['--kubeconfig', writeTokenKubeconfig(join(dir, 'gone'), { name: 'gone', server: `https://127.0.0.1:${await closedPort()}`, token: 'nothing' })]);
    expect(gone.code).toBe(1);
    expect(gone.output).toMatch(new RegExp(`FAIL HelmChart CRD helmcharts.helm.cattle.io: ${cluster} \\(context "gone"\\) is unreachable `
      + 'while reading CustomResourceDefinition helmcharts.helm.cattle.io: .*\\(check KUBECONFIG and the current context\\)'));
    // preflight asks once: the shared wording says "also after retries" only for the commands that retry.
    expect(gone.output).not.toContain('also after retries');
  });

  it('gives up on an API server that accepts connections and never answers: every read has a deadline', async () => {
    const silent = await silentServer();
    try {
      const kubeconfig = writeTokenKubeconfig(join(tempDir('tjh-preflight-silent'), 'silent'), { name: 'silent', server: `https://127.0.0.1:${silent.port}`, token: 'nothing' });
      const started = Date.now();
      const { code, output } = await run(['--kubeconfig', kubeconfig]);
      expect(code).toBe(1);
      expect(output).toMatch(/FAIL HelmChart CRD helmcharts\.helm\.cattle\.io: cluster https:\/\/127\.0\.0\.1:\d+ \(context "silent"\) did not answer in time while reading CustomResourceDefinition helmcharts\.helm\.cattle\.io: check KUBECONFIG, the current context and the network\n/);
      expect(output).toMatch(/absent cluster capabilities: not detected: .*did not answer in time while listing the CustomResourceDefinitions/);
      expect(output).toContain('ok   thinkube-control');
      // The checks run side by side, each read with its 10 s deadline; without one, preflight waits for good.
      expect(Date.now() - started).toBeLessThan(35_000);
    } finally {
      await silent.close();
    }
  });

  it('sees Flux\'s CRDs, and fluxHelmRelease fits only once its controllers run', async () => {
    const k = kube();
    await k.kubectlOk(['apply', '--server-side', ...FLUX_CRDS.flatMap((file) => ['-f', file])]);
    await k.kubectlOk(['wait', '--for=condition=Established', 'crd/helmreleases.helm.toolkit.fluxcd.io', 'crd/helmrepositories.source.toolkit.fluxcd.io']);
    // Flux's own helm-controller Deployment, which never becomes available without a kubelet; it is not the k3s-io one.
    await k.kubectlOk(['create', 'namespace', 'flux-system']);
    await k.kubectlOk(['create', 'deployment', '-n', 'flux-system', 'helm-controller', '--image=ghcr.io/fluxcd/helm-controller:v1.6.3']);
    // A helm-controller that stopped renewing its Lease three hours ago (twice the lease duration is the limit).
    const stale = new Date(Date.now() - 3 * 3600_000);
    await renewHelmControllerLease(stale);
    const { output } = await run();
    expect(output).toMatch(/found {2}CRD helmreleases\.helm\.toolkit\.fluxcd\.io: serves (.*, )?v2(,|\n)/);
    expect(output).toMatch(/found {2}CRD helmrepositories\.source\.toolkit\.fluxcd\.io: serves (.*, )?v1(,|\n)/);
    expect(output).toContain('absent Flux controllers: not running: no available Deployment flux-system/source-controller, flux-system/helm-controller '
      + '(found Deployment flux-system/helm-controller (0/1 available))');
    expect(output).toContain(`absent helm-controller: not running: Lease kube-system/helm-controller-lock last renewed ${stale.toISOString()}\n`);
    expect(output).toContain('fluxHelmRelease: Flux\'s controllers are not running: no available Deployment flux-system/source-controller');

    await renewHelmControllerLease(new Date());
    const flux = configFile(tempDir('tjh-preflight-flux'), { thinkubeControl: { url: control.baseUrl }, delivery: 'fluxHelmRelease' });
    const configured = await run([], flux);
    expect(configured.output).toContain('WARN delivery fluxHelmRelease does not fit this cluster: Flux\'s controllers are not running: '
      + 'no available Deployment flux-system/source-controller, flux-system/helm-controller (found Deployment flux-system/helm-controller (0/1 available)) (helmChart would)\n');
    // Only delivery helmChart relies on the cluster's HelmChart CRD.
    expect(configured.output).not.toMatch(/^(ok {3}|FAIL) HelmChart CRD/m);
    expect(configured.output).toContain('preflight: all checks passed (1 warning: read the WARN lines)');
    await k.kubectlOk(['delete', 'namespace', 'flux-system', '--wait=false']);
  });

  it('sees the Gateway API: gatewayApi fits once HTTPRoute and Gateway are served, and TLS then comes from the listener', async () => {
    const k = kube();
    await k.kubectlOk(['apply', '--server-side', '-f', HTTPROUTE_CRD]);
    await k.kubectlOk(['wait', '--for=condition=Established', '--timeout=60s', 'crd/httproutes.gateway.networking.k8s.io']);
    const routeOnly = await run();
    expect(routeOnly.output).toMatch(/found {2}CRD httproutes\.gateway\.networking\.k8s\.io: serves (.*, )?v1(,|\n)/);
    expect(routeOnly.output).toContain('absent CRD gateways.gateway.networking.k8s.io: not installed');
    expect(routeOnly.output).toContain('gatewayApi: the CRD gateways.gateway.networking.k8s.io is not installed: no Gateway to attach to');

    // A stand-in for the Gateway CRD (not vendored: preflight only asks whether it is served).
    await k.kubectlOk(['apply', '-f', '-'], { input: JSON.stringify(GATEWAY_CRD_STAND_IN) });
    await k.kubectlOk(['wait', '--for=condition=Established', '--timeout=60s', 'crd/gateways.gateway.networking.k8s.io']);
    const both = await run();
    expect(both.output).toContain('found  CRD gateways.gateway.networking.k8s.io: serves v1');
    expect(both.output).toContain('fits   routing: ingress (recommended), also gatewayApi\n');

    await k.kubectlOk(['delete', 'ingressclass', 'nginx']);
    const noIngressClass = await run();
    expect(noIngressClass.output).toContain('fits   routing: gatewayApi (recommended); not ingress: no IngressClass nginx (ingress.className)\n');
    expect(noIngressClass.output).toContain('WARN routing ingress does not fit this cluster: no IngressClass nginx (ingress.className) (gatewayApi would)\n');

    // Configured for the Gateway: TLS then comes from its listener, and the hub's TLS Secret is not checked.
    const gatewayConfig = configFile(tempDir('tjh-preflight-gateway'), {
      thinkubeControl: { url: control.baseUrl }, routing: 'gatewayApi', gateway: { parentRef: { name: 'shared', namespace: 'gateway-system' } },
    });
    const gateway = await run([], gatewayConfig);
    expect(gateway.output).toMatch(/fits {3}tls\.mode: gateway \(recommended\), also certManager|fits {3}tls\.mode: gateway \(recommended\); not copyWildcard: routing gatewayApi: the Gateway's listener terminates TLS;/);
    expect(gateway.output).not.toContain('WARN');
    expect(gateway.output).not.toContain('TLS Secret jupyterhub/');
    expect(gateway.output).toContain('preflight: all checks passed\n');
    // No waiting for the CRD finalizer: it once took more than 60 s here, and the tests after this one do not need them gone.
    await k.kubectlOk(['delete', 'crd', 'gateways.gateway.networking.k8s.io', 'httproutes.gateway.networking.k8s.io', '--wait=false']);
  }, 120_000);

  it('finds the helm-controller that k3s embeds by its nodes, when there is no Lease to read', async () => {
    const k = kube();
    await k.kubectlOk(['delete', 'lease', '-n', 'kube-system', 'helm-controller-lock']);
    // A Node object as k3s registers it (no kubelet behind it here): the kubelet version names the distribution.
    await k.kubectlOk(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'k3s-server' } }) });
    await k.kubectlOk(['patch', 'node', 'k3s-server', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { nodeInfo: { kubeletVersion: 'v1.33.1+k3s1' } } })]);
    const { output } = await run();
    expect(output).toContain('found  helm-controller: embedded: the nodes run k3s (unless started with --disable-helm-controller)\n');
    expect(output).toContain('fits   delivery: helmChart (recommended)');
    await k.kubectlOk(['delete', 'node', 'k3s-server']);
    const gone = await run();
    expect(gone.output).toContain('absent helm-controller: not running');
    expect(gone.output).toContain('WARN delivery helmChart does not fit this cluster: no helm-controller reconciles the HelmChart (helmChartWithController would)\n');
  });

  it('rejects bad usage with exit 2', async () => {
    expect((await run(['--timeout', 'soon'])).code).toBe(2);
    expect((await run(['--bogus'])).code).toBe(2);
  });
});
