/**
 * The real thing runs (issue 9, phase 3): what we synthesize, applied with
 * kubectl, and the Z2JH chart installed by the real helm from the HelmChart's
 * values (hub-install.ts), on the harness with a real node. The hub and the
 * proxy run as pods on the node, from images pulled from the registry
 * standing in for Harbor; the hub serves the branded login page through
 * proxy-public and spawns a notebook with its own ServiceAccount.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { useKube } from '../kube/use-kube.js';
import { helmUnavailableReason } from '../support/helm.js';
import { valuesOf } from '../support/synth.js';
import { tierUnavailable } from '../support/tier.js';
import { nodeTierUnavailable } from './gate.js';
import { installHubOnNode } from './hub-install.js';

const unavailable = nodeTierUnavailable() || tierUnavailable('helm', helmUnavailableReason());

describe.skipIf(unavailable)('the hub and proxy run on a real node, installed by helm from the HelmChart values', () => {
  const kube = useKube({ node: true });
  // Stopping a node with the hub, the proxy and a notebook running outlasts useKube's 60 s hook;
  // stop is idempotent, so useKube's own stop after this one is a no-op.
  afterAll(async () => kube().stop(), 180_000);
  const apiToken = randomBytes(32).toString('hex');
  let namespace = '';
  const clientNamespace = 'node-test-client';

  /**
   * An HTTP request to proxy-public by its DNS name, from a client pod (curl
   * of tk-service-discovery): what a browser inside the cluster does, through
   * CoreDNS and kube-proxy. Returns status and body.
   */
  const request = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> => {
    const args = ['curl', '-sS', '-m', '20', '-X', method, '-w', '\n%{http_code}', `http://proxy-public.${namespace}.svc.cluster.local${path}`];
    // The token travels on stdin (a curl config), never on a command line.
    const config = path.startsWith('/hub/api/') ? `header = "Authorization: token ${apiToken}"\n` : '';
    args.push('-K', '-');
    if (body !== undefined) args.push('-H', 'Content-Type: application/json', '--data-raw', JSON.stringify(body));
    const result = await kube().kubectl(['-n', clientNamespace, 'exec', '-i', 'client', '--', ...args], { input: config, timeoutMs: 40_000 });
    if (result.code !== 0) throw new Error(`curl ${method} ${path} failed (${result.code}): ${result.stderr}`);
    const at = result.stdout.lastIndexOf('\n');
    return { status: Number(result.stdout.slice(at + 1)), body: result.stdout.slice(0, at) };
  };

  const podOf = async (selector: string) => JSON.parse(await kube().kubectlOk(['-n', namespace, 'get', 'pods', '-l', selector, '-o', 'json'])).items as
    { metadata: { name: string }; spec: { nodeName?: string; serviceAccountName: string; containers: { name: string; image: string; command?: string[]; args?: string[]; securityContext?: { runAsUser?: number } }[] }; status: { phase: string } }[];

  it('kubectl apply + helm upgrade --install: hub and proxy Ready on the node, the branded login page through proxy-public', async () => {
    const k = kube();
    const node = k.node!;
    // The in-cluster client, started first so that it is up when the hub is.
    await k.kubectlOk(['create', 'namespace', clientNamespace]);
    await k.kubectlOk(['apply', '-f', '-'], {
      input: stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'client', namespace: clientNamespace },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [{ name: 'curl', image: `${node.registry}/library/tk-service-discovery:1`, command: ['sleep', 'infinity'] }],
        },
      }),
    });

    const hub = await installHubOnNode(k, apiToken);
    namespace = hub.namespace;
    console.log(`apply -> hub Ready: ${hub.applyToHubReadySeconds.toFixed(1)} s`);
    // What the overlay must not have lost (see installHubOnNode): a quoted "yes" stays a string.
    expect(valuesOf(hub.manifests).singleuser.extraEnv.JUPYTER_ENABLE_LAB).toBe('yes');
    expect(hub.manifests.filter((m) => m.kind === 'PersistentVolumeClaim').length).toBeGreaterThanOrEqual(3);

    for (const component of ['hub', 'proxy']) {
      const [pod] = await podOf(`component=${component}`);
      expect(pod.spec.nodeName, component).toBe(node.name);
      expect(pod.status.phase).toBe('Running');
    }
    expect((await podOf('component=hub'))[0].spec.containers[0].image).toBe(`${node.registry}/library/k8s-hub:4.4.0`);

    await k.kubectlOk(['-n', clientNamespace, 'wait', '--for=condition=Ready', 'pod/client', '--timeout=120s'], { timeoutMs: 130_000 });
    // The first request through a fresh cluster (CoreDNS, kube-proxy's rules,
    // the proxy's route to the hub) can outlast one curl on a loaded machine.
    let login = { status: 0, body: '' };
    for (let attempt = 1; attempt <= 4 && login.status !== 200; attempt++) {
      login = await request('GET', '/hub/login').catch((error: Error) => ({ status: 0, body: error.message }));
    }
    expect(login.status, login.body).toBe(200);
    expect(login.body).toContain('Sign in with Keycloak');
    expect(login.body).toContain('Welcome to Thinkube AI Lab');
    expect(login.body).toMatch(/css\/thinkube\.css/);
  }, 600_000);

  it('the hub runs as the chart\'s hub ServiceAccount, whose token the API server knows as such', async () => {
    const [hub] = await podOf('component=hub');
    expect(hub.spec.serviceAccountName).toBe('hub');
    const token = await kube().kubectlOk(['-n', namespace, 'exec', hub.metadata.name, '--', 'cat', '/var/run/secrets/kubernetes.io/serviceaccount/token']);
    // A kubeconfig holding only that token (the admin's client certificate would win over --token).
    const kubeconfig = join(kube().stateDir, 'hub-token.kubeconfig');
    writeFileSync(kubeconfig, stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: kube().server, 'certificate-authority': kube().caFile } }],
      users: [{ name: 'hub', user: { token: token.trim() } }],
      contexts: [{ name: 'c', context: { cluster: 'c', user: 'hub' } }],
      'current-context': 'c',
    }), { mode: 0o600 });
    const whoami = await kube().kubectlOk(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], { kubeconfig });
    expect(whoami).toBe(`system:serviceaccount:${namespace}:hub`);
    // What KubeSpawner needs, granted to that identity by the chart's Role.
    expect(await kube().kubectlOk(['auth', 'can-i', 'create', 'pods', '-n', namespace], { kubeconfig })).toBe('yes\n');
  });

  it('the hub spawns a tk-jupyter-ml-cpu notebook through KubeSpawner: uid 1000, startup.sh, Running and ready', async () => {
    expect((await request('POST', '/hub/api/users/alice')).status).toBe(201);
    const start = await request('POST', '/hub/api/users/alice/server', { profile: 'custom', image: 'tk-jupyter-ml-cpu' });
    expect([201, 202], start.body).toContain(start.status);
    let user: { servers: Record<string, { ready: boolean; pending: string | null }> } = { servers: {} };
    for (let i = 0; i < 240 && !user.servers['']?.ready; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      user = JSON.parse((await request('GET', '/hub/api/users/alice')).body);
      if (user.servers[''] === undefined && i > 5) break;
    }
    const [pod] = await podOf('component=singleuser-server,hub.jupyter.org/username=alice');
    if (!user.servers['']?.ready) {
      const hubLog = await kube().kubectl(['-n', namespace, 'logs', 'deployment/hub', '--tail=60']);
      const described = pod ? await kube().kubectl(['-n', namespace, 'describe', 'pod', pod.metadata.name]) : { stdout: 'no pod' };
      throw new Error(`alice's server never became ready: ${JSON.stringify(user)}\n${hubLog.stdout}\n${described.stdout}`);
    }
    expect(pod.spec.nodeName).toBe(kube().node!.name);
    expect(pod.status.phase).toBe('Running');
    const notebook = pod.spec.containers.find((c) => c.image === `${kube().node!.registry}/library/tk-jupyter-ml-cpu:1`);
    expect(notebook?.securityContext?.runAsUser).toBe(1000);
    // Family thinkube: no command, so the image's ENTRYPOINT (startup.sh) runs our args.
    expect(notebook?.command).toBeUndefined();
    expect(notebook?.args?.slice(0, 2)).toEqual(['bash', '-c']);
    const log = await kube().kubectlOk(['-n', namespace, 'logs', pod.metadata.name, '-c', notebook!.name]);
    expect(log).toContain('startup: IPython environment loader installed');
    expect(log).toMatch(/Jupyter Server .* is running at/);
    // The clone-examples init container left the folder startup.sh requires (GitHub is unreachable here).
    expect(log).not.toContain('Examples repository not found');
  }, 300_000);

  it('the chart\'s idle culler stops alice\'s idle server: the hub forgets it and the pod is gone', async () => {
    // culling.timeoutSeconds 30, everySeconds 5 (testConfig): the server has been idle since it started.
    let servers: Record<string, unknown> = { '': {} };
    for (let i = 0; i < 150 && servers[''] !== undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      servers = JSON.parse((await request('GET', '/hub/api/users/alice')).body).servers;
    }
    expect(servers, 'the culler never stopped the server').toEqual({});
    const hubLog = await kube().kubectlOk(['-n', namespace, 'logs', 'deployment/hub', '--tail=400']);
    expect(hubLog).toMatch(/DELETE \/hub\/api\/users\/alice\/server \(jupyterhub-idle-culler@/);
    let pods = await podOf('component=singleuser-server,hub.jupyter.org/username=alice');
    for (let i = 0; i < 60 && pods.length > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      pods = await podOf('component=singleuser-server,hub.jupyter.org/username=alice');
    }
    expect(pods.map((p) => p.metadata.name)).toEqual([]);
  }, 300_000);

  it('the hub spawns a tk-jupyter-scipy notebook (family docker-stacks): start.sh as root grants sudo, Jupyter runs as jovyan', async () => {
    expect((await request('POST', '/hub/api/users/bob')).status).toBe(201);
    const start = await request('POST', '/hub/api/users/bob/server', { profile: 'custom', image: 'tk-jupyter-scipy' });
    expect([201, 202], start.body).toContain(start.status);
    let ready = false;
    for (let i = 0; i < 240 && !ready; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      ready = JSON.parse((await request('GET', '/hub/api/users/bob')).body).servers['']?.ready === true;
    }
    const [pod] = await podOf('component=singleuser-server,hub.jupyter.org/username=bob');
    expect(ready, pod ? (await kube().kubectl(['-n', namespace, 'describe', 'pod', pod.metadata.name])).stdout : 'no pod').toBe(true);
    const notebook = pod.spec.containers.find((c) => c.image === `${kube().node!.registry}/library/tk-jupyter-scipy:1`)!;
    // Family docker-stacks: the container starts as root so that start.sh can grant sudo, then drops to jovyan.
    expect(notebook.securityContext?.runAsUser).toBe(0);
    expect(notebook.args?.[0]).toBe('start.sh');
    const log = await kube().kubectlOk(['-n', namespace, 'logs', pod.metadata.name, '-c', notebook.name]);
    expect(log).toContain('start.sh: granting jovyan passwordless sudo');
    expect(log).toMatch(/Jupyter Server .* is running at/);
    const jupyterUids = await kube().kubectlOk(['-n', namespace, 'exec', pod.metadata.name, '-c', notebook.name, '--', 'bash', '-c',
      // The Python process of the server (tini and sudo above it carry the command line too, as root).
      'for p in /proc/[0-9]*; do grep -qs jupyterhub-singleuser "$p/cmdline" && awk \'/^Name:/ {n = $2} /^Uid:/ {u = $2} END {if (n !~ /^(tini|sudo|bash|sh)$/) print u}\' "$p/status"; done | sort -u']);
    expect(jupyterUids.trim()).toBe('1000');
  }, 300_000);

  it('the continuous image puller runs on the node: every notebook and init-container image pulled, the node\'s pause image', async () => {
    await kube().kubectlOk(['-n', namespace, 'rollout', 'status', 'daemonset/continuous-image-puller', '--timeout=240s'], { timeoutMs: 250_000 });
    const [puller] = await podOf('component=continuous-image-puller');
    expect(puller.spec.nodeName).toBe(kube().node!.name);
    expect(puller.spec.containers.map((c) => c.image)).toEqual(['localhost/thinkube/pause:1']);
  }, 260_000);
});
