/**
 * The NetworkPolicy traffic matrix, shared by the analyser's proof
 * (traffic-matrix.test.ts, Cyclonus) and the real traffic on the node
 * (real-traffic.test.ts, kube-router): the policies the real chart renders
 * from our HelmChart's values (helm template) plus every NetworkPolicy of our
 * own manifests, the peers with the labels the policies select by, and each
 * case with its expected verdict. Pod labels come from the rendered chart:
 * the hub's and proxy's Deployments, and for notebooks the labels KubeSpawner
 * sets from the chart's jupyterhub_config.py (app, release, component) plus
 * singleuser.extraLabels of the values the hub reads.
 */
import { parse, parseAllDocuments } from 'yaml';
import { helmTemplate } from '../support/helm.js';
import { runSynth } from '../support/run-synth.js';
import { type Manifest, find, valuesOf } from '../support/synth.js';
import type { Peer, Traffic } from './analyser.js';

/** The configuration both proofs synthesize with: one Secret of gitea on discovery's allow-list. */
export const CONFIG = { discovery: { secretAllowList: [{ namespace: 'gitea', name: 'gitea-admin-token' }] } };

type Labels = Record<string, string>;

export interface Chart {
  /** Every NetworkPolicy, ours and the chart's, each with its namespace. */
  readonly policies: Manifest[];
  /** The release namespace (the hub's). */
  readonly namespace: string;
  readonly hubLabels: Labels;
  readonly proxyLabels: Labels;
  readonly notebookLabels: Labels;
}

function podLabels(objects: readonly Manifest[], name: string): Labels {
  const deployment = find(objects, 'Deployment', name) as Manifest & { spec: { template: { metadata: { labels: Labels } } } };
  return deployment.spec.template.metadata.labels;
}

/** Synth with `config`, render the chart with the HelmChart's values, and name the pods' labels. */
export function render(config: Record<string, unknown>): Chart {
  const run = runSynth({ config });
  if (run.status !== 0) throw new Error(`synth failed: ${run.stderr}`);
  const ours = Object.values(run.files).flatMap((text) => parseAllDocuments(text).map((d) => d.toJS() as Manifest));
  const chart = find(ours, 'HelmChart') as Manifest & { spec: { version: string; targetNamespace: string } };
  const namespace = chart.spec.targetNamespace;
  const objects = helmTemplate(valuesOf(ours), chart.spec.version, { release: chart.metadata.name, namespace });
  const hubSecret = find(objects, 'Secret', 'hub') as Manifest & { data: Record<string, string> };
  const hubValues = parse(Buffer.from(hubSecret.data['values.yaml'], 'base64').toString('utf8'));
  const hubLabels = podLabels(objects, 'hub');
  return {
    // helm install puts the chart's objects into the release namespace (-n);
    // the templates themselves name none.
    policies: [...ours, ...objects].filter((m) => m.kind === 'NetworkPolicy')
      .map((m) => ({ ...m, metadata: { ...m.metadata, namespace: m.metadata.namespace ?? namespace } })),
    namespace,
    hubLabels,
    proxyLabels: podLabels(objects, 'proxy'),
    notebookLabels: {
      app: hubLabels.app,
      release: hubLabels.release,
      component: 'singleuser-server',
      ...hubValues.singleuser.extraLabels,
    },
  };
}

/** Every endpoint of the matrix: pods (labels in a namespace) and addresses outside the pods. */
export interface Peers {
  /** Two users' notebooks. */
  readonly ana: Peer;
  readonly bo: Peer;
  readonly hub: Peer;
  readonly proxy: Peer;
  /** The API server is no pod: its endpoint address (after the kubernetes Service's DNAT). */
  readonly kubeApiserver: Peer;
  readonly coreDns: Peer;
  readonly metadata: Peer;
  readonly internet: Peer;
  readonly thinkubeControl: Peer;
  readonly keycloak: Peer;
  /** A service in a namespace on the notebooks' allow-list (discovery's Secret). */
  readonly gitea: Peer;
  /** A service in a namespace on no allow-list. */
  readonly prometheus: Peer;
  readonly ingressController: Peer;
}

/** The peers as a typical k3s home lab has them (pods in 10.42.0.0/16, the API server on a LAN address). */
export function homeLabPeers(chart: Chart): Peers {
  const notebook = (ip: string): Peer => ({ ip, namespace: chart.namespace, pod: chart.notebookLabels });
  return {
    ana: notebook('10.42.1.10'),
    bo: notebook('10.42.1.11'),
    hub: { ip: '10.42.0.5', namespace: chart.namespace, pod: chart.hubLabels },
    proxy: { ip: '10.42.0.6', namespace: chart.namespace, pod: chart.proxyLabels },
    kubeApiserver: { ip: '192.168.1.10' },
    coreDns: { ip: '10.42.0.2', namespace: 'kube-system', pod: { 'k8s-app': 'kube-dns' } },
    metadata: { ip: '169.254.169.254' },
    internet: { ip: '151.101.64.223' },
    thinkubeControl: { ip: '10.42.2.5', namespace: 'thinkube-control', pod: { app: 'backend' } },
    keycloak: { ip: '10.42.3.5', namespace: 'keycloak', pod: { app: 'keycloak' } },
    gitea: { ip: '10.42.4.5', namespace: 'gitea', pod: { app: 'gitea' } },
    prometheus: { ip: '10.42.6.5', namespace: 'monitoring', pod: { app: 'prometheus' } },
    ingressController: { ip: '10.42.5.5', namespace: 'ingress-nginx', pod: { 'app.kubernetes.io/name': 'ingress-nginx' } },
  };
}

/** A case: its name, the traffic, and whether it is allowed when the policies are on. */
export type Row = [string, Traffic, boolean];

/** The traffic matrix between `p`. */
export function matrix(p: Peers): Row[] {
  const { ana, bo } = p;
  return [
    ['notebook -> kube-apiserver endpoint :6443', { from: ana, to: p.kubeApiserver, port: 6443 }, true],
    ['notebook -> CoreDNS :53/UDP', { from: ana, to: p.coreDns, port: 53, protocol: 'UDP' }, true],
    ['notebook -> thinkube-control :8000', { from: ana, to: p.thinkubeControl, port: 8000 }, true],
    ['notebook -> allow-listed service (gitea) :3000', { from: ana, to: p.gitea, port: 3000 }, true],
    ['notebook -> ingress controller :443', { from: ana, to: p.ingressController, port: 443 }, true],
    ['notebook -> internet :443', { from: ana, to: p.internet, port: 443 }, true],
    ['notebook -> hub API :8081', { from: ana, to: p.hub, port: 8081, portName: 'http' }, true],
    ['notebook -> Keycloak pod :8080', { from: ana, to: p.keycloak, port: 8080 }, false],
    ['notebook -> unlisted service (prometheus) :9090', { from: ana, to: p.prometheus, port: 9090 }, false],
    ["notebook -> another user's notebook :8888", { from: ana, to: bo, port: 8888, portName: 'notebook-port' }, false],
    ['notebook -> cloud metadata :80', { from: ana, to: p.metadata, port: 80 }, false],
    ['notebook -> cloud metadata :53/UDP', { from: ana, to: p.metadata, port: 53, protocol: 'UDP' }, false],
    ['notebook -> proxy API :8001', { from: ana, to: p.proxy, port: 8001, portName: 'api' }, false],
    ['notebook -> ingress controller admission webhook :8443', { from: ana, to: p.ingressController, port: 8443 }, false],
    ['notebook -> kube-apiserver address on another port :10250', { from: ana, to: p.kubeApiserver, port: 10250 }, false],
    ['hub -> thinkube-control :8000', { from: p.hub, to: p.thinkubeControl, port: 8000 }, true],
    ['hub -> Keycloak pod :8080', { from: p.hub, to: p.keycloak, port: 8080 }, true],
    ['hub -> Keycloak through the ingress controller :443', { from: p.hub, to: p.ingressController, port: 443 }, true],
    ['hub -> kube-apiserver endpoint :6443', { from: p.hub, to: p.kubeApiserver, port: 6443 }, true],
    ['hub -> cloud metadata :80', { from: p.hub, to: p.metadata, port: 80 }, false],
    ['ingress controller -> proxy-public :8000', { from: p.ingressController, to: p.proxy, port: 8000, portName: 'http' }, true],
    ['ingress controller -> hub :8081', { from: p.ingressController, to: p.hub, port: 8081, portName: 'http' }, false],
  ];
}
