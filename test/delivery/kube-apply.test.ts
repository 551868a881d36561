/**
 * The objects of each delivery and routing, taken by what consumes them: the
 * real kube-apiserver of the kube harness (control plane only, no node) with
 * the vendored CRDs installed, and the real helm for delivery helmValues.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { kubeUnavailableReason } from '../kube/harness.js';
import { useKube } from '../kube/use-kube.js';
import { chartArchive, helm, helmUnavailableReason } from '../support/helm.js';
import { runSynth } from '../support/run-synth.js';
import type { Manifest } from '../support/synth.js';
import { tierUnavailable } from '../support/tier.js';
import { VENDOR_DIR } from '../support/vendor.js';

const unavailable = tierUnavailable('kube', kubeUnavailableReason()) || tierUnavailable('helm', helmUnavailableReason());
const crd = (file: string) => join(VENDOR_DIR, 'crds', file);

function synthesized(config: Record<string, unknown>) {
  const run = runSynth({ config });
  if (run.status !== 0) throw new Error(`synth failed: ${run.stderr}`);
  const manifests = Object.values(run.files).flatMap((text) => parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS() as Manifest & { spec?: any }));
  return { run, manifests };
}

describe.skipIf(unavailable)('the deliveries on a real kube-apiserver', () => {
  const kube = useKube();

  it('fluxHelmRelease with routing gatewayApi: server-side apply of dist/ after the Flux and Gateway API CRDs; the values read back unchanged', async () => {
    const k = kube();
    for (const file of ['helm.toolkit.fluxcd.io_helmreleases.yaml', 'source.toolkit.fluxcd.io_helmrepositories.yaml', 'gateway.networking.k8s.io_httproutes.yaml']) {
      await k.kubectlOk(['apply', '--server-side', '-f', crd(file)]);
    }
    await k.kubectlOk(['wait', '--for=condition=Established', '--timeout=60s', 'crd/helmreleases.helm.toolkit.fluxcd.io', 'crd/helmrepositories.source.toolkit.fluxcd.io', 'crd/httproutes.gateway.networking.k8s.io']);
    const { run, manifests } = synthesized({
      namespace: 'flux-hub', delivery: 'fluxHelmRelease', routing: 'gatewayApi',
      gateway: { parentRef: { name: 'shared', namespace: 'gateway-system', sectionName: 'https' } },
    });
    const applied = await k.kubectlOk(['apply', '--server-side', '--field-manager=thinkube-jupyterhub', '-f', run.outdir]);
    expect(applied).toMatch(/helmrelease.helm.toolkit.fluxcd.io\/jupyterhub-flux-hub serverside-applied/);
    expect(applied).toMatch(/httproute.gateway.networking.k8s.io\/jupyterhub-flux-hub serverside-applied/);

    const release = JSON.parse(await k.kubectlOk(['get', 'helmrelease', 'jupyterhub-flux-hub', '-n', 'flux-hub', '-o', 'json']));
    const ours = manifests.find((m) => m.kind === 'HelmRelease')!;
    expect(release.spec.values).toEqual(ours.spec.values);
    expect(release.spec.upgrade.remediation).toEqual({ retries: 0, remediateLastFailure: true, strategy: 'rollback' });
    const route = JSON.parse(await k.kubectlOk(['get', 'httproute', 'jupyterhub-flux-hub', '-n', 'flux-hub', '-o', 'json']));
    expect(route.spec.rules[0]).toMatchObject({ timeouts: { request: '3600s', backendRequest: '3600s' }, backendRefs: [{ name: 'proxy-public', port: 80 }] });
  }, 180_000);

  it('tls certManager: the Certificate is server-side applied after cert-manager\'s CRD', async () => {
    const k = kube();
    // The vendored CRD carries cert-manager's Helm template markup in its labels: drop them, as its chart would render them.
    const certificateCrd = parse(readFileSync(crd('cert-manager.io_certificates.yaml'), 'utf8'));
    delete certificateCrd.metadata.labels;
    await k.kubectlOk(['apply', '--server-side', '-f', '-'], { input: JSON.stringify(certificateCrd) });
    await k.kubectlOk(['wait', '--for=condition=Established', '--timeout=60s', 'crd/certificates.cert-manager.io']);
    const { run } = synthesized({ namespace: 'tls-hub', tls: { mode: 'certManager', issuer: { name: 'letsencrypt' } } });
    expect(await k.kubectlOk(['apply', '--server-side', '-f', run.outdir])).toMatch(/certificate.cert-manager.io\/jupyterhub-tls-hub serverside-applied/);
    const certificate = JSON.parse(await k.kubectlOk(['get', 'certificate', 'jupyterhub-tls-hub', '-n', 'tls-hub', '-o', 'json']));
    expect(certificate.spec).toEqual({ secretName: 'jupyterhub-tls-secret', dnsNames: ['jupyter.example.com'], issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'letsencrypt' } });
  }, 120_000);

  it('helmChartWithController: kubectl apply -f dist creates the controller, its CRDs and the HelmChart (the HelmChart on a second apply once its CRD is established)', async () => {
    const k = kube();
    const { run } = synthesized({ namespace: 'hc-hub', delivery: 'helmChartWithController' });
    // A cluster without a helm-controller has no HelmChart CRD (the harness installs one: remove it).
    await k.kubectlOk(['delete', 'crd', 'helmcharts.helm.cattle.io', '--ignore-not-found', '--wait']);
    // When kubectl's discovery does not yet serve the CRD it creates in the same run, it refuses the HelmChart (only
    // that object: the CRDs and the controller are created); the second apply, as the README says, adds it.
    const first = await k.kubectl(['apply', '-f', run.outdir]);
    if (first.code !== 0) {
      expect(first.stderr).toMatch(/no matches for kind "HelmChart" in version "helm.cattle.io\/v1"/);
      expect(first.stderr.match(/resource mapping not found/g)).toHaveLength(1);
    }
    await k.kubectlOk(['wait', '--for=condition=Established', '--timeout=60s', 'crd/helmcharts.helm.cattle.io', 'crd/helmchartconfigs.helm.cattle.io']);
    await k.kubectlOk(['apply', '-f', run.outdir]);
    const chart = JSON.parse(await k.kubectlOk(['get', 'helmchart', 'jupyterhub-hc-hub', '-n', 'kube-system', '-o', 'json']));
    expect(chart.spec).toMatchObject({ chart: 'jupyterhub', version: '4.4.0', targetNamespace: 'hc-hub', failurePolicy: 'abort' });
    const deployment = JSON.parse(await k.kubectlOk(['get', 'deployment', 'helm-controller', '-n', 'helm-controller', '-o', 'json']));
    expect(deployment.spec.template.spec.containers[0].image).toBe('rancher/helm-controller:v0.17.9');
  }, 180_000);

  it('helmValues: kubectl apply -f dist, then the printed helm command with its values file installs the chart', async () => {
    const k = kube();
    const { run, manifests } = synthesized({ namespace: 'cli-hub', delivery: 'helmValues' });
    expect(manifests.filter((m) => /cattle\.io|fluxcd\.io/.test(m.apiVersion))).toEqual([]);
    await k.kubectlOk(['apply', '-f', run.outdir]);
    const line = run.stdout.split('\n').find((l) => l.trim().startsWith('helm upgrade --install'))!.trim();
    const [, , , release, chart, repoFlag, repo, ...rest] = line.split(' ');
    expect([release, chart, repoFlag, repo]).toEqual(['jupyterhub-cli-hub', 'jupyterhub', '--repo', 'https://hub.jupyter.org/helm-chart/']);
    expect(rest).toEqual(['--version', '4.4.0', '-n', 'cli-hub', '-f', expect.stringMatching(/values\/jupyterhub-cli-hub\.values\.yaml$/)]);
    // The chart archive helm pull fetched stands in for --repo (no network in the tests); every other argument is the printed one.
    const install = helm(['upgrade', '--install', release, chartArchive('4.4.0'), ...rest], { KUBECONFIG: k.kubeconfig });
    expect(install.status, install.stderr).toBe(0);
    const stored = helm(['get', 'values', release, '-n', 'cli-hub', '-o', 'yaml'], { KUBECONFIG: k.kubeconfig });
    expect(parse(stored.stdout)).toEqual(parse(readFileSync(rest[rest.length - 1], 'utf8'), { version: '1.1' }));
  }, 300_000);
});
