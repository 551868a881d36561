import { ApiObject } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  CertificateConstruct, DiscoveryRbacConstruct, FluxHelmReleaseConstruct, HELM_CONTROLLER_VERSION, HelmControllerConstruct, HttpRouteConstruct,
  HubHelmConstruct, StorageConstruct, ThinkubeJupyterHub, resolveConfig,
} from '../../lib/index.js';
import { type Manifest, find, synthChart } from '../support/synth.js';

/** The manifests of a whole hub built from `input`, with values and CRD schemas summarized for the snapshot. */
function hubOf(input: Record<string, unknown>) {
  const config = resolveConfig(input);
  let hub!: ThinkubeJupyterHub;
  const manifests = synthChart((chart) => {
    hub = new ThinkubeJupyterHub(chart, 'hub', { config });
  });
  return { hub, manifests };
}

function summarized(manifests: readonly Manifest[]): unknown[] {
  return manifests.map((m: any) => {
    if (m.kind === 'CustomResourceDefinition') return { kind: m.kind, name: m.metadata.name, versions: m.spec.versions.map((v: any) => v.name) };
    if (m.kind === 'HelmChart') return { ...m, spec: { ...m.spec, valuesContent: '<values>' } };
    if (m.kind === 'HelmRelease') return { ...m, spec: { ...m.spec, values: '<values>' } };
    if (m.kind === 'ConfigMap') return { kind: m.kind, name: m.metadata.name };
    return m;
  });
}

const gateway = { parentRef: { name: 'shared', namespace: 'gateway-system', sectionName: 'https' } };

describe('ThinkubeJupyterHub per delivery, routing and tls mode', () => {
  it.each([
    ['helmChartWithController', { delivery: 'helmChartWithController' }],
    ['fluxHelmRelease', { delivery: 'fluxHelmRelease' }],
    ['helmValues', { delivery: 'helmValues' }],
    ['gatewayApi', { routing: 'gatewayApi', gateway }],
    ['certManager', { tls: { mode: 'certManager', issuer: { name: 'letsencrypt' } } }],
    ['gatewayApi with certManager', { routing: 'gatewayApi', gateway, tls: { mode: 'certManager', issuer: { kind: 'Issuer', name: 'gw-ca' } } }],
    ['existingSecret', { tls: { mode: 'existingSecret', existingSecret: { name: 'hub-cert' } } }],
  ])('%s snapshot', (_name, input) => {
    expect(summarized(hubOf(input).manifests)).toMatchSnapshot();
  });

  it('helmValues: no chart object, only Kubernetes manifests', () => {
    const { hub, manifests } = hubOf({ delivery: 'helmValues' });
    expect(manifests.map((m) => m.apiVersion).filter((v) => v.includes('cattle') || v.includes('fluxcd'))).toEqual([]);
    expect(hub.hub.helmChart).toBeUndefined();
    expect(() => ApiObject.of(hub.hub)).toThrow('cannot find a (direct or indirect) child of type ApiObject');
    expect(parse(hub.hub.valuesYaml, { version: '1.1' })).toEqual(hub.hub.valuesDocument);
  });

  it('existingSecret: the Ingress uses the named Secret', () => {
    const ingress: any = find(hubOf({ tls: { mode: 'existingSecret', existingSecret: { name: 'hub-cert' } } }).manifests, 'Ingress');
    expect(ingress.spec.tls).toEqual([{ hosts: ['jupyter.example.com'], secretName: 'hub-cert' }]);
  });
});

describe('HelmControllerConstruct', () => {
  it('runs the pinned k3s-io helm-controller cluster-wide with its CRDs', () => {
    let controller!: HelmControllerConstruct;
    const manifests = synthChart((chart) => {
      controller = new HelmControllerConstruct(chart, 'controller');
    });
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'CustomResourceDefinition/helmcharts.helm.cattle.io', 'CustomResourceDefinition/helmchartconfigs.helm.cattle.io',
      'Namespace/helm-controller', 'ClusterRole/helm-controller', 'ClusterRoleBinding/helm-controller',
      'ServiceAccount/helm-controller', 'Deployment/helm-controller',
    ]);
    const deployment: any = find(manifests, 'Deployment');
    expect(ApiObject.of(controller).kind).toBe('Deployment');
    expect(deployment.spec.template.spec.containers[0]).toMatchObject({ image: `rancher/helm-controller:${HELM_CONTROLLER_VERSION}`, command: ['helm-controller'] });
    // Cluster-scoped: no NAMESPACE variable, so it watches HelmCharts in every namespace.
    expect(deployment.spec.template.spec.containers[0].env.map((e: any) => e.name)).toEqual(['NODE_NAME', 'JOB_CLUSTER_ROLE', 'DEFAULT_JOB_IMAGE']);
  });
});

describe('FluxHelmReleaseConstruct', () => {
  it('never uninstalls on a failed install or upgrade', () => {
    const config = resolveConfig({ delivery: 'fluxHelmRelease', namespace: 'lab' });
    let release!: FluxHelmReleaseConstruct;
    const manifests = synthChart((chart) => {
      const storage = new StorageConstruct(chart, 'storage', { config });
      const discovery = new DiscoveryRbacConstruct(chart, 'discovery', { config });
      const hub = new HubHelmConstruct(chart, 'hub', { config, storage, discovery });
      release = new FluxHelmReleaseConstruct(chart, 'flux', { hub });
    });
    const helmRelease: any = find(manifests, 'HelmRelease');
    expect(ApiObject.of(release)).toBe(release.release);
    expect(helmRelease.metadata).toEqual({ name: 'jupyterhub-lab', namespace: 'lab' });
    expect(helmRelease.spec).toMatchObject({
      releaseName: 'jupyterhub-lab',
      targetNamespace: 'lab',
      chart: { spec: { chart: 'jupyterhub', version: '4.4.0', sourceRef: { kind: 'HelmRepository', name: 'jupyterhub-lab', namespace: 'lab' } } },
      install: { remediation: { retries: 0, remediateLastFailure: false } },
      upgrade: { remediation: { strategy: 'rollback' } },
    });
    expect(find(manifests, 'HelmRepository').spec).toEqual({ url: 'https://hub.jupyter.org/helm-chart/', interval: '1h' });
  });
});

describe('HttpRouteConstruct and CertificateConstruct', () => {
  function build(input: Record<string, unknown>) {
    const config = resolveConfig(input);
    return synthChart((chart) => {
      const storage = new StorageConstruct(chart, 'storage', { config });
      const discovery = new DiscoveryRbacConstruct(chart, 'discovery', { config });
      const hub = new HubHelmConstruct(chart, 'hub', { config, storage, discovery });
      if (config.routing === 'gatewayApi') new HttpRouteConstruct(chart, 'route', { hub });
      if (config.tls.mode === 'certManager') new CertificateConstruct(chart, 'cert', { hub });
    });
  }

  it('routes the host to proxy-public:80 through the parentRef with the Ingress\'s hour-long timeouts', () => {
    const route: any = find(build({ routing: 'gatewayApi', gateway }), 'HTTPRoute');
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shared', namespace: 'gateway-system', sectionName: 'https' }]);
    expect(route.spec.hostnames).toEqual(['jupyter.example.com']);
    expect(route.spec.rules[0].backendRefs).toEqual([{ name: 'proxy-public', port: 80 }]);
    expect(route.spec.rules[0].timeouts).toEqual({ request: '3600s', backendRequest: '3600s' });
  });

  it('issues the certificate where TLS ends: the hub\'s namespace behind an Ingress, the Gateway\'s behind a route', () => {
    const issuer = { mode: 'certManager', issuer: { name: 'le' } };
    const forIngress: any = find(build({ tls: issuer }), 'Certificate');
    expect(forIngress.metadata.namespace).toBe('jupyterhub');
    expect(forIngress.spec).toEqual({ secretName: 'jupyterhub-tls-secret', dnsNames: ['jupyter.example.com'], issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'le' } });
    expect(find(build({ routing: 'gatewayApi', gateway, tls: issuer }), 'Certificate').metadata.namespace).toBe('gateway-system');
  });
});
