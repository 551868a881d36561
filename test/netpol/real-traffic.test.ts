/**
 * The NetworkPolicy traffic matrix (matrix.ts) as real traffic between pods:
 * on the real node (test/node) with kube-router's NetworkPolicy controller
 * enforcing (`startKube({ node: true, networkPolicy: true })`), the policies
 * the analyser judges (the chart rendered by helm from our HelmChart's values,
 * with the same config) are applied, and every case is a real connection
 * whose success or failure must match the case's expected verdict.
 *
 * Peers. Pods with the labels the policies select by, in their namespaces
 * (labelled `kubernetes.io/metadata.name` by the API server, as the matrix
 * assumes): the hub, the proxy, two users' notebooks (jupyterhub), a fake
 * thinkube-control (thinkube-control, app=backend), Keycloak (keycloak), an
 * allow-listed service (gitea), an unlisted one (monitoring/prometheus) and an
 * ingress controller (ingress-nginx). Each pod has a listener container
 * (busybox `nc`) on the ports the matrix sends to, named as the chart names
 * them (`http`, `api`, `notebook-port`: the chart's policies select named
 * ports), and a probe container (tk-service-discovery: bash, timeout) that
 * connects: TCP by `/dev/tcp`, UDP by a DNS query that must be answered.
 *
 * What is real, and what stands in:
 * - Pod to pod (13 of the 22 cases): real pods, real policies, real packets.
 * - notebook -> CoreDNS :53/UDP: the node's real CoreDNS, a process on the
 *   node IP (not a kube-system pod): the query passes the chart's DNS rule for
 *   private addresses, not its kube-system pod rule.
 * - notebook -> kube-apiserver address on another port :10250: the node's
 *   real kubelet on the node IP.
 * - The API server endpoint (notebook and hub -> :6443): a listener on the
 *   node IP's port 6443. The real API server listens there on a random free
 *   port (the default config allows the port 6443, as k3s uses); its
 *   policy-relevant part, an address outside the pods, is the same.
 * - The internet (151.101.64.223:443) and the cloud metadata address
 *   (169.254.169.254 :80 and :53/UDP): the addresses are added inside the
 *   node's network namespace, with listeners there. The packets leave the pod
 *   for a non-pod address exactly as they would to a remote host; the route
 *   beyond the node is not exercised (no internet, no metadata server here).
 * Before the policies, a control: the same traffic all connects, so each
 * denial afterwards is the policy's, not a missing listener or route. The
 * same cases by Service name (CoreDNS, kube-proxy's DNAT) follow.
 *
 * Found on the way: kube-router v2.1.0 (whose policy controller k3s embeds)
 * evaluates a policy's egress rules in the destination pod's ingress check
 * too, so when one policy selects both pods, the source's egress admits what
 * the destination's ingress forbids. No case of the matrix shows it with the
 * default policies; two tests show it: with the API server rule open to every
 * private address (`networkPolicy.podCidrs: []`), a notebook reaches a
 * listener on another notebook's port 6443, which is why the default config
 * cuts the pod network out of that rule (the test's policies cut the node's
 * 10.244.0.0/16, and the port stays closed); and with the chart's
 * `privateIPs` egress opened, another notebook's port 8888. Cyclonus (and a
 * conforming network plugin) denies both.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useKube } from '../kube/use-kube.js';
import { nodeTierUnavailable } from '../node/gate.js';
import { helmUnavailableReason } from '../support/helm.js';
import { REPO } from '../support/run-synth.js';
import { tierUnavailable } from '../support/tier.js';
import { type Peer, netpolUnavailableReason, verdicts } from './analyser.js';
import { CONFIG, type Chart, type Peers, type Row, homeLabPeers, matrix, render } from './matrix.js';

function kubeRouterUnavailableReason(): string | undefined {
  try {
    execFileSync('bash', [join(REPO, 'test', 'node', 'node.sh'), 'check'], {
      env: { ...process.env, THINKUBE_NODE_NETWORK_POLICY: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return undefined;
  } catch (error) {
    return (error as { stderr?: Buffer }).stderr?.toString().trim() || 'node.sh check failed';
  }
}

const unavailable = tierUnavailable('helm', helmUnavailableReason())
  || tierUnavailable('netpol', netpolUnavailableReason())
  || nodeTierUnavailable()
  || tierUnavailable('node network policy', kubeRouterUnavailableReason());

/** The peers that are pods here, and their pod names. */
const PODS = {
  ana: 'jupyter-ana',
  bo: 'jupyter-bo',
  hub: 'hub',
  proxy: 'proxy',
  thinkubeControl: 'backend',
  keycloak: 'keycloak',
  gitea: 'gitea',
  prometheus: 'prometheus',
  ingressController: 'ingress-nginx-controller',
} as const satisfies Partial<Record<keyof Peers, string>>;
type PodPeer = keyof typeof PODS;

/** A DNS query (kubernetes.default.svc.cluster.local, A) as printf escapes: CoreDNS answers it, the stand-in listener echoes. */
const DNS_QUERY = '\\x12\\x34\\x01\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00'
  + '\\x0akubernetes\\x07default\\x03svc\\x07cluster\\x05local\\x00\\x00\\x01\\x00\\x01';

/** A bash script that runs `probes` at once and prints `<index> <exit code>` for each. */
function probeScript(probes: readonly { index: number; ip: string; port: number; protocol: 'TCP' | 'UDP' }[]): string {
  return [
    '# probe PROTOCOL IP PORT INDEX',
    'probe() {',
    '  if [ "$1" = UDP ]; then',
    // A connected UDP socket: a reply (any byte) proves the round trip.
    `    timeout 3 bash -c 'exec 3<>"/dev/udp/$0/$1" && printf '"'${DNS_QUERY}'"' >&3 && [ "$(head -c 1 <&3 | wc -c)" = 1 ]' "$2" "$3"`,
    '  else',
    '    timeout 3 bash -c \'exec 3<>"/dev/tcp/$0/$1"\' "$2" "$3"',
    '  fi 2>/dev/null',
    '  echo "$4 $?"',
    '}',
    ...probes.map((p) => `probe ${p.protocol} ${p.ip} ${p.port} ${p.index} &`),
    'wait',
  ].join('\n');
}


/** The matrix's config, with the node's pod network (test/node/node.sh CLUSTER_CIDR) as `networkPolicy.podCidrs`. */
const NODE_CONFIG = { ...CONFIG, networkPolicy: { podCidrs: ['10.244.0.0/16'] } };

describe.skipIf(unavailable)('NetworkPolicy traffic matrix as real traffic (kube-router on the node)', () => {
  const kube = useKube({ node: true, networkPolicy: true });
  let chart: Chart;
  let rows: Row[];
  let serviceRows: Row[];
  /** Outside the matrix: a notebook to a listener on another's port 6443 (a port notebooks' egress allows to private addresses). */
  let flawRow: Row;
  let podOf: Map<Peer, { name: string; namespace: string }>;

  /** Runs every case of `cases` once; returns whether each connected, by case name. */
  async function connections(cases: readonly Row[]): Promise<Record<string, boolean>> {
    const bySource = new Map<Peer, number[]>();
    cases.forEach(([, traffic], index) => bySource.set(traffic.from, [...(bySource.get(traffic.from) ?? []), index]));
    const connected: boolean[] = [];
    await Promise.all([...bySource].map(async ([source, indexes]) => {
      const pod = podOf.get(source)!;
      const script = probeScript(indexes.map((index) => {
        const { to, port, protocol } = cases[index][1];
        return { index, ip: to.ip, port, protocol: protocol ?? 'TCP' };
      }));
      const out = await kube().kubectlOk(['exec', '-i', '-n', pod.namespace, pod.name, '-c', 'probe', '--', 'bash', '-s'],
        { input: script, timeoutMs: 30_000 });
      for (const line of out.trim().split('\n')) {
        const [index, code] = line.split(' ').map(Number);
        connected[index] = code === 0;
      }
    }));
    return Object.fromEntries(cases.map(([name], i) => [name, connected[i]]));
  }

  const expected = (cases: readonly Row[]): Record<string, boolean> => Object.fromEntries(cases.map(([name, , allow]) => [name, allow]));

  it('sets up: the peers as pods and listeners, with no policy yet', async () => {
    chart = render(NODE_CONFIG);
    const model = homeLabPeers(chart);
    const modelRows = matrix(model);
    const registry = kube().node!.registry;
    const nodeIp = kube().node!.ip;
    const namespaces = [...new Set(Object.keys(PODS).map((key) => model[key as PodPeer].namespace!))];
    await kube().kubectlOk(['apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: namespaces.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })) }),
    });
    const pods = Object.entries(PODS).map(([key, name]) => {
      const peer = model[key as PodPeer];
      const ports = new Map<number, string | undefined>();
      for (const [, traffic] of modelRows) if (traffic.to === peer) ports.set(traffic.port, traffic.portName);
      if (key === 'bo') ports.set(6443, undefined);
      const listeners = [...ports.keys()].map((port) => `nc -ll -p ${port} -e true &`).join(' ');
      return {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: peer.namespace, labels: peer.pod },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [
            {
              name: 'listen',
              image: `${registry}/library/busybox:1.35`,
              command: ['sh', '-c', `${listeners} while :; do sleep 3600; done`],
              ports: [...ports].map(([containerPort, portName]) => ({ containerPort, ...(portName ? { name: portName } : {}) })),
            },
            { name: 'probe', image: `${registry}/library/tk-service-discovery:1`, command: ['sleep', 'infinity'] },
          ],
        },
      };
    });
    await kube().kubectlOk(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: pods }) });
    for (const namespace of namespaces) {
      await kube().kubectlOk(['-n', namespace, 'wait', '--for=condition=Ready', 'pod', '--all', '--timeout=120s'], { timeoutMs: 130_000 });
    }
    const real: Record<string, Peer> = { ...model, kubeApiserver: { ip: nodeIp }, coreDns: { ip: nodeIp } };
    podOf = new Map();
    for (const [key, name] of Object.entries(PODS)) {
      const peer = model[key as PodPeer];
      const ip = (await kube().kubectlOk(['-n', peer.namespace!, 'get', 'pod', name, '-o', 'jsonpath={.status.podIP}'])).trim();
      real[key] = { ...peer, ip };
      podOf.set(real[key], { name, namespace: peer.namespace! });
    }
    rows = matrix(real as unknown as Peers);
    flawRow = ["notebook -> another user's notebook :6443", { from: real.ana, to: real.bo, port: 6443 }, false];
    // Each pod but the notebooks (KubeSpawner reaches them by pod IP) also
    // gets a Service of its name: the same cases by Service name go through
    // CoreDNS and kube-proxy's DNAT.
    const services = Object.entries(PODS).filter(([key]) => key !== 'ana' && key !== 'bo').map(([key, name]) => {
      const peer = real[key];
      const ports = [...new Set(rows.filter(([, t]) => t.to === peer).map(([, t]) => t.port))];
      return {
        peer,
        host: `${name}.${peer.namespace}.svc.cluster.local`,
        manifest: {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name, namespace: peer.namespace },
          spec: { selector: peer.pod, ports: ports.map((port) => ({ name: `tcp-${port}`, port, targetPort: port })) },
        },
      };
    });
    await kube().kubectlOk(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: services.map((s) => s.manifest) }) });
    serviceRows = rows.flatMap(([name, traffic, allow]): Row[] => {
      const service = services.find((s) => s.peer === traffic.to);
      return service === undefined ? [] : [[`${name} (Service)`, { ...traffic, to: { ...traffic.to, ip: service.host } }, allow]];
    });
    // Addresses outside the pods get listeners inside the node's namespace;
    // where the node already listens (the kubelet on :10250, CoreDNS on
    // :53/UDP), socat cannot bind and the node's own process answers.
    const outside = new Map<string, { ip: string; port: number; protocol: string }>();
    for (const [, { to, port, protocol = 'TCP' }] of rows) {
      if (to.pod === undefined) outside.set(`${to.ip}:${port}/${protocol}`, { ip: to.ip, port, protocol });
    }
    const addresses = [...new Set([...outside.values()].map((o) => o.ip))].filter((ip) => ip !== nodeIp);
    const script = [
      ...addresses.map((ip) => `ip addr add ${ip}/32 dev lo`),
      ...[...outside.values()].map(({ ip, port, protocol }) => (protocol === 'UDP'
        ? `setsid socat UDP-RECVFROM:${port},bind=${ip},fork SYSTEM:'echo pong' </dev/null >/dev/null 2>&1 &`
        : `setsid socat TCP-LISTEN:${port},bind=${ip},fork,reuseaddr SYSTEM:true </dev/null >/dev/null 2>&1 &`)),
    ].join('\n');
    const added = await kube().node!.exec(['bash', '-c', script]);
    expect(added.code, added.stderr).toBe(0);
    expect(await kube().kubectlOk(['get', 'networkpolicies', '-A', '-o', 'name'])).toBe('');
  }, 240_000);

  it('control: without policies every case connects, by address and by Service name', async () => {
    const cases = [...rows, ...serviceRows, flawRow];
    // The listeners start with their containers: allow a few seconds.
    await expect.poll(() => connections(cases), { timeout: 30_000, interval: 1_000 })
      .toEqual(Object.fromEntries(cases.map(([name]) => [name, true])));
  }, 60_000);

  it('the analyser judges the real addresses as the matrix expects', () => {
    const allowed = verdicts(chart.policies, rows.map(([, traffic]) => traffic));
    expect(Object.fromEntries(rows.map(([name], i) => [name, allowed[i]]))).toEqual(expected(rows));
  });

  it('with the rendered policies applied, kube-router allows and denies each case as the analyser does', async () => {
    await kube().kubectlOk(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: chart.policies }) });
    // kube-router syncs a few seconds after the change: wait for a denial of
    // each direction (the hub's ingress, the notebook's egress), then judge all.
    await expect.poll(async () => {
      const got = await connections(rows);
      return [got['ingress controller -> hub :8081'], got['notebook -> Keycloak pod :8080']];
    }, { timeout: 60_000, interval: 1_000 }).toEqual([false, false]);
    expect(await connections(rows)).toEqual(expected(rows));
  }, 120_000);

  it('through the Services (CoreDNS, kube-proxy DNAT) the verdicts are the same', async () => {
    expect(serviceRows.length).toBeGreaterThanOrEqual(10);
    expect(await connections(serviceRows)).toEqual(expected(serviceRows));
  }, 60_000);

  it("the pod network cut out of the API server rule keeps kube-router from opening another notebook's port 6443; without the cut-out it opens it", async () => {
    expect(verdicts(chart.policies, [flawRow[1]])).toEqual([false]);
    expect(await connections([flawRow])).toEqual({ [flawRow[0]]: false });
    // Control: the same rule without networkPolicy.podCidrs (every private address on 6443).
    const open = render({ ...CONFIG, networkPolicy: { podCidrs: [] } });
    expect(verdicts(open.policies, [flawRow[1]])).toEqual([false]);
    await kube().kubectlOk(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: open.policies }) });
    await expect.poll(async () => (await connections([flawRow]))[flawRow[0]], { timeout: 60_000, interval: 1_000 }).toBe(true);
  }, 120_000);

  it("a wrong policy shows in real traffic too: with the chart's privateIPs opened, notebooks reach Keycloak and prometheus, as Cyclonus says", async () => {
    const wrong = render({ ...CONFIG, extraValues: { singleuser: { networkPolicy: { egressAllowRules: { privateIPs: true } } } } });
    const allowed = verdicts(wrong.policies, rows.map(([, traffic]) => traffic));
    const judged = Object.fromEntries(rows.map(([name], i) => [name, allowed[i]]));
    expect(judged).not.toEqual(expected(rows));
    await kube().kubectlOk(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: wrong.policies }) });
    await expect.poll(async () => (await connections(rows))['notebook -> Keycloak pod :8080'], { timeout: 60_000, interval: 1_000 }).toBe(true);
    // kube-router v2.1.0 departs from the NetworkPolicy semantics here, and
    // only here: it runs each policy's whole chain in the destination pod's
    // chain, so when one policy selects both pods (both are notebooks), the
    // source's egress rule (now every private address) also passes the
    // destination's ingress check, which admits only the hub and the proxy.
    // Cyclonus is right; pinned so that a change in either shows.
    expect(judged["notebook -> another user's notebook :8888"]).toBe(false);
    expect(await connections(rows)).toEqual({ ...judged, "notebook -> another user's notebook :8888": true });
  }, 120_000);
});
