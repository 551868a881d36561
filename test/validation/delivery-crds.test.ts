import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ThinkubeJupyterHub, resolveConfig } from '../../lib/index.js';
import { crdSchemaErrors, validateKubernetesObject } from '../support/kubernetes-schema.js';
import { type Manifest, synthChart } from '../support/synth.js';
import { HELMCHART_CRD, VENDOR_DIR } from '../support/vendor.js';

/** The vendored CRD (vendor/README.md) of each custom kind a delivery, routing or tls mode emits. */
const CRD_OF: Record<string, string> = {
  HelmChart: HELMCHART_CRD,
  HelmRelease: join(VENDOR_DIR, 'crds', 'helm.toolkit.fluxcd.io_helmreleases.yaml'),
  HelmRepository: join(VENDOR_DIR, 'crds', 'source.toolkit.fluxcd.io_helmrepositories.yaml'),
  HTTPRoute: join(VENDOR_DIR, 'crds', 'gateway.networking.k8s.io_httproutes.yaml'),
  Certificate: join(VENDOR_DIR, 'crds', 'cert-manager.io_certificates.yaml'),
};

const gateway = { parentRef: { name: 'shared', namespace: 'gateway-system', sectionName: 'https' } };
const manifestsOf = (input: Record<string, unknown>) => synthChart((chart) => new ThinkubeJupyterHub(chart, 'hub', { config: resolveConfig(input) }));

describe.each([
  ['helmChartWithController', { delivery: 'helmChartWithController' }],
  ['fluxHelmRelease', { delivery: 'fluxHelmRelease', namespace: 'lab' }],
  ['helmValues', { delivery: 'helmValues' }],
  ['gatewayApi', { routing: 'gatewayApi', gateway }],
  ['certManager', { tls: { mode: 'certManager', issuer: { name: 'letsencrypt' } } }],
  ['gatewayApi with certManager', { routing: 'gatewayApi', gateway, tls: { mode: 'certManager', issuer: { kind: 'Issuer', name: 'gw-ca' } } }],
])('%s manifests', (_name, input) => {
  const manifests = manifestsOf(input);

  it('every custom object is valid against its vendored CRD', () => {
    for (const manifest of manifests.filter((m) => CRD_OF[m.kind])) {
      expect(crdSchemaErrors(CRD_OF[manifest.kind], manifest), `${manifest.kind}/${manifest.metadata.name}`).toEqual([]);
    }
  });

  it('every built-in object (the helm-controller\'s CRDs, Deployment and RBAC among them) is valid against the Kubernetes schema', async () => {
    for (const manifest of manifests.filter((m) => !CRD_OF[m.kind])) await validateKubernetesObject(manifest);
  });
});

describe('the CRD checks can fail', () => {
  it.each([
    ['HelmRelease', { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'x' }, spec: { interval: '1m', upgrade: { remediation: { strategy: 'delete' } } } }],
    ['HTTPRoute', { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'x' }, spec: { rules: [{ timeouts: { request: 3600 } }] } }],
    ['Certificate', { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'x' }, spec: { secretName: 'x', issuerRef: { kind: 'ClusterIssuer' } } }],
  ['HelmRepository', { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'x' }, spec: { interval: '1h' } }],
  ])('rejects a broken %s', (kind, manifest) => {
    expect(crdSchemaErrors(CRD_OF[kind], manifest as Manifest)).not.toEqual([]);
  });
});
