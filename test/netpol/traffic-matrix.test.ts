/**
 * Proof of the NetworkPolicy allow-lists: the policies the real chart renders
 * from our HelmChart's values (helm template), plus every NetworkPolicy of our
 * own manifests, judged by a real NetworkPolicy analyser for the traffic that
 * matters on a Thinkube cluster. Pod labels come from the rendered chart: the
 * hub's and proxy's Deployments, and for notebooks the labels KubeSpawner sets
 * from the chart's jupyterhub_config.py (app, release, component) plus
 * singleuser.extraLabels of the values the hub reads.
 */
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { helmTemplate, helmUnavailableReason } from '../support/helm.js';
import { runSynth } from '../support/run-synth.js';
import { type Manifest, find, valuesOf } from '../support/synth.js';
import { tierUnavailable } from '../support/tier.js';
import { type Peer, type Traffic, netpolUnavailableReason, verdicts } from './analyser.js';

const unavailable = tierUnavailable('helm', helmUnavailableReason()) || tierUnavailable('netpol', netpolUnavailableReason());

const CONFIG = { discovery: { secretAllowList: [{ namespace: 'gitea', name: 'gitea-admin-token' }] } };

type Chart = { policies: Manifest[]; hub: Peer; proxy: Peer; notebook: (ip: string) => Peer };

function podLabels(objects: readonly Manifest[], name: string): Record<string, string> {
  const deployment = find(objects, 'Deployment', name) as Manifest & { spec: { template: { metadata: { labels: Record<string, string> } } } };
  return deployment.spec.template.metadata.labels;
}

/** Synth with `config`, render the chart with the HelmChart's values, and name the pods. */
function render(config: Record<string, unknown>): Chart {
  const run = runSynth({ config });
  if (run.status !== 0) throw new Error(`synth failed: ${run.stderr}`);
  const ours = Object.values(run.files).flatMap((text) => parseAllDocuments(text).map((d) => d.toJS() as Manifest));
  const chart = find(ours, 'HelmChart') as Manifest & { spec: { version: string; targetNamespace: string } };
  const namespace = chart.spec.targetNamespace;
  const objects = helmTemplate(valuesOf(ours), chart.spec.version, { release: chart.metadata.name, namespace });
  const hubSecret = find(objects, 'Secret', 'hub') as Manifest & { data: Record<string, string> };
  const hubValues = parse(Buffer.from(hubSecret.data['values.yaml'], 'base64').toString('utf8'));
  const hubLabels = podLabels(objects, 'hub');
  const notebookLabels = {
    app: hubLabels.app,
    release: hubLabels.release,
    component: 'singleuser-server',
    ...hubValues.singleuser.extraLabels,
  };
  return {
    // helm install puts the chart's objects into the release namespace (-n);
    // the templates themselves name none.
    policies: [...ours, ...objects].filter((m) => m.kind === 'NetworkPolicy')
      .map((m) => ({ ...m, metadata: { ...m.metadata, namespace: m.metadata.namespace ?? namespace } })),
    hub: { ip: '10.42.0.5', namespace, pod: hubLabels },
    proxy: { ip: '10.42.0.6', namespace, pod: podLabels(objects, 'proxy') },
    notebook: (ip) => ({ ip, namespace, pod: notebookLabels }),
  };
}

// Pods of other namespaces and addresses outside the cluster's pods.
const kubeApiserver: Peer = { ip: '192.168.1.10' };
const metadata: Peer = { ip: '169.254.169.254' };
const internet: Peer = { ip: '151.101.64.223' };
const coreDns: Peer = { ip: '10.42.0.2', namespace: 'kube-system', pod: { 'k8s-app': 'kube-dns' } };
const thinkubeControl: Peer = { ip: '10.42.2.5', namespace: 'thinkube-control', pod: { app: 'backend' } };
const keycloak: Peer = { ip: '10.42.3.5', namespace: 'keycloak', pod: { app: 'keycloak' } };
const gitea: Peer = { ip: '10.42.4.5', namespace: 'gitea', pod: { app: 'gitea' } };
const prometheus: Peer = { ip: '10.42.6.5', namespace: 'monitoring', pod: { app: 'prometheus' } };
const ingressController: Peer = { ip: '10.42.5.5', namespace: 'ingress-nginx', pod: { 'app.kubernetes.io/name': 'ingress-nginx' } };

type Row = [string, Traffic, boolean];

/** The traffic matrix: each case with its expected verdict when the policies are on. */
function matrix(c: Chart): Row[] {
  const ana = c.notebook('10.42.1.10');
  const bo = c.notebook('10.42.1.11');
  return [
    ['notebook -> kube-apiserver endpoint :6443', { from: ana, to: kubeApiserver, port: 6443 }, true],
    ['notebook -> CoreDNS :53/UDP', { from: ana, to: coreDns, port: 53, protocol: 'UDP' }, true],
    ['notebook -> thinkube-control :8000', { from: ana, to: thinkubeControl, port: 8000 }, true],
    ['notebook -> allow-listed service (gitea) :3000', { from: ana, to: gitea, port: 3000 }, true],
    ['notebook -> ingress controller :443', { from: ana, to: ingressController, port: 443 }, true],
    ['notebook -> internet :443', { from: ana, to: internet, port: 443 }, true],
    ['notebook -> hub API :8081', { from: ana, to: c.hub, port: 8081, portName: 'http' }, true],
    ['notebook -> Keycloak pod :8080', { from: ana, to: keycloak, port: 8080 }, false],
    ['notebook -> unlisted service (prometheus) :9090', { from: ana, to: prometheus, port: 9090 }, false],
    ["notebook -> another user's notebook :8888", { from: ana, to: bo, port: 8888, portName: 'notebook-port' }, false],
    ['notebook -> cloud metadata :80', { from: ana, to: metadata, port: 80 }, false],
    ['notebook -> cloud metadata :53/UDP', { from: ana, to: metadata, port: 53, protocol: 'UDP' }, false],
    ['notebook -> proxy API :8001', { from: ana, to: c.proxy, port: 8001, portName: 'api' }, false],
    ['notebook -> ingress controller admission webhook :8443', { from: ana, to: ingressController, port: 8443 }, false],
    ['notebook -> kube-apiserver address on another port :10250', { from: ana, to: kubeApiserver, port: 10250 }, false],
    ['hub -> thinkube-control :8000', { from: c.hub, to: thinkubeControl, port: 8000 }, true],
    ['hub -> Keycloak pod :8080', { from: c.hub, to: keycloak, port: 8080 }, true],
    ['hub -> Keycloak through the ingress controller :443', { from: c.hub, to: ingressController, port: 443 }, true],
    ['hub -> kube-apiserver endpoint :6443', { from: c.hub, to: kubeApiserver, port: 6443 }, true],
    ['hub -> cloud metadata :80', { from: c.hub, to: metadata, port: 80 }, false],
    ['ingress controller -> proxy-public :8000', { from: ingressController, to: c.proxy, port: 8000, portName: 'http' }, true],
    ['ingress controller -> hub :8081', { from: ingressController, to: c.hub, port: 8081, portName: 'http' }, false],
  ];
}

function judge(config: Record<string, unknown>) {
  const chart = render(config);
  const rows = matrix(chart);
  const allowed = verdicts(chart.policies, rows.map(([, traffic]) => traffic));
  return {
    chart,
    got: Object.fromEntries(rows.map(([name], i) => [name, allowed[i]])),
    expected: Object.fromEntries(rows.map(([name, , allow]) => [name, allow])),
  };
}

describe.skipIf(unavailable)('NetworkPolicy traffic matrix (chart 4.4.0 rendered by helm, judged by Cyclonus)', () => {
  it('by default: notebooks reach DNS, the API server, thinkube-control, allow-listed services and the internet, nothing else', () => {
    const { chart, got, expected } = judge(CONFIG);
    expect(chart.policies.map((p) => p.metadata.name).sort()).toEqual(['hub', 'proxy', 'singleuser']);
    expect(got).toEqual(expected);
  });

  it('with networkPolicy.enabled: false no policy is rendered and every case is allowed', () => {
    const { chart, got } = judge({ ...CONFIG, networkPolicy: { enabled: false } });
    expect(chart.policies).toEqual([]);
    expect(Object.values(got).every(Boolean)).toBe(true);
  });

  it("a wrong policy shows: the chart's privateIPs rule opened through extraValues lets notebooks reach every pod", () => {
    const { got, expected } = judge({
      ...CONFIG,
      extraValues: { singleuser: { networkPolicy: { egressAllowRules: { privateIPs: true } } } },
    });
    expect(got['notebook -> Keycloak pod :8080']).toBe(true);
    expect(got['notebook -> unlisted service (prometheus) :9090']).toBe(true);
    expect(got).not.toEqual(expected);
  });

  it('networkPolicy.serviceNamespaces and apiServer narrow or widen the notebook allow-list', () => {
    const { got } = judge({
      ...CONFIG,
      networkPolicy: { serviceNamespaces: ['monitoring'], apiServer: { cidrs: ['192.168.1.20/32'], port: 6443 } },
    });
    expect(got['notebook -> unlisted service (prometheus) :9090']).toBe(true);
    expect(got['notebook -> kube-apiserver endpoint :6443']).toBe(false);
  });
});
