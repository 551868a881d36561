import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useKube } from '../kube/use-kube.js';
import { nodeTierUnavailable } from './gate.js';

const namespace = 'node-tier';

/** The IPv4 addresses and routes of the machine's own network namespace. */
const hostNetwork = (): string =>
  execFileSync('ip', ['-4', 'addr'], { encoding: 'utf8' }) + execFileSync('ip', ['-4', 'route'], { encoding: 'utf8' });

const clusterRanges = /\b10\.(200|244|96)\.\d+\.\d+/;

function pod(image: string, name: string, command: string, labels: Record<string, string> = {}): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: {
      terminationGracePeriodSeconds: 1,
      // Always: the image comes from the registry on every start, as from Harbor.
      containers: [{ name: 'main', image, imagePullPolicy: 'Always', command: ['sh', '-c', command] }],
    },
  });
}

describe.skipIf(nodeTierUnavailable())('a real node in the kube harness', () => {
  const kube = useKube({ node: true });

  it('joins the cluster Ready, with its InternalIP inside the namespace only', async () => {
    const node = kube().node!;
    const nodeJson = JSON.parse(await kube().kubectlOk(['get', 'node', node.name, '-o', 'json'])) as {
      status: { nodeInfo: { kubeletVersion: string; containerRuntimeVersion: string }; addresses: { type: string; address: string }[] };
    };
    expect(nodeJson.status.nodeInfo.kubeletVersion).toBe(kube().version);
    expect(nodeJson.status.nodeInfo.containerRuntimeVersion).toMatch(/^containerd:\/\/2\./);
    expect(nodeJson.status.addresses).toContainEqual({ type: 'InternalIP', address: node.ip });
    expect(kube().server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(hostNetwork()).not.toMatch(clusterRanges);
    expect((await node.exec(['ip', '-4', 'addr'])).stdout).toContain(node.ip);
  });

  it('runs a pod pulled from the local registry: logs, exec, ClusterIP Services and cluster DNS work', async () => {
    const busybox = `${kube().node!.registry}/library/busybox:1.35`;
    await kube().kubectlOk(['create', 'namespace', namespace]);
    await kube().kubectlOk(['apply', '-f', '-'], {
      input: pod(busybox, 'web', 'mkdir -p /www && echo served-by-web >/www/index.html && echo web-started && exec httpd -f -p 8080 -h /www', { app: 'web' }),
    });
    await kube().kubectlOk(['-n', namespace, 'create', 'service', 'clusterip', 'web', '--tcp=80:8080']);
    await kube().kubectlOk(['-n', namespace, 'wait', '--for=condition=Ready', 'pod/web', '--timeout=60s'], { timeoutMs: 70_000 });

    expect(await kube().kubectlOk(['-n', namespace, 'logs', 'web'])).toContain('web-started');
    expect(await kube().kubectlOk(['-n', namespace, 'exec', 'web', '--', 'cat', '/www/index.html'])).toBe('served-by-web\n');

    // Another pod reaches it by name: CoreDNS resolves, kube-proxy forwards.
    await kube().kubectlOk(['apply', '-f', '-'], {
      // nc, not wget: Debian's static busybox wget crashes (exit 139) looking up the service port.
      input: pod(busybox, 'client', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc web.${namespace}.svc.cluster.local 80 && nslookup kubernetes.default.svc.cluster.local && sleep 3600`),
    });
    await kube().kubectlOk(['-n', namespace, 'wait', '--for=condition=Ready', 'pod/client', '--timeout=60s'], { timeoutMs: 70_000 });
    await expect.poll(async () => (await kube().kubectl(['-n', namespace, 'logs', 'client'])).stdout, { timeout: 20_000 })
      .toMatch(/served-by-web[\s\S]*Address:\s*10\.96\.0\.1\b/);
  });

  it('runs the init-container images from the registry: git, tk-service-discovery', async () => {
    const registry = kube().node!.registry;
    const container = (name: string, image: string, script: string) =>
      ({ name, image: `${registry}/library/${image}`, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script] });
    await kube().kubectlOk(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'init-images', namespace },
        spec: {
          restartPolicy: 'Never',
          initContainers: [
            container('git', 'git:2.39', 'git --version'),
            container('discovery', 'tk-service-discovery:1', 'bash --version | head -1 && kubectl version --client && jq --version && yq --version'),
          ],
          containers: [container('done', 'busybox:1.35', 'echo done')],
        },
      }),
    });
    await kube().kubectlOk(['-n', namespace, 'wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/init-images', '--timeout=120s'], { timeoutMs: 130_000 });
    expect(await kube().kubectlOk(['-n', namespace, 'logs', 'init-images', '-c', 'git'])).toMatch(/^git version 2\./);
    const discovery = await kube().kubectlOk(['-n', namespace, 'logs', 'init-images', '-c', 'discovery']);
    expect(discovery).toContain('GNU bash');
    expect(discovery).toContain(`Client Version: ${kube().version}`);
    expect(discovery).toMatch(/jq-1\.\d/);
    expect(discovery).toMatch(/yq .*version v4\./);
  });

  describe('notebook images, pulled from the registry', () => {
    // Runs IMAGE's entrypoint with ARGS as a pod; returns its phase and log.
    const runImage = async (name: string, image: string, args: string[], extra: Record<string, unknown> = {}, volumes: Record<string, unknown>[] = []) => {
      const { securityContext, env, mounts } = extra as { securityContext?: unknown; env?: unknown; mounts?: unknown };
      await kube().kubectlOk(['apply', '-f', '-'], {
        input: JSON.stringify({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name, namespace },
          spec: {
            restartPolicy: 'Never',
            volumes,
            containers: [{ name: 'notebook', image: `${kube().node!.registry}/library/${image}`, imagePullPolicy: 'IfNotPresent', args, securityContext, env, volumeMounts: mounts }],
          },
        }),
      });
      await expect.poll(
        async () => (await kube().kubectl(['-n', namespace, 'get', 'pod', name, '-o', 'jsonpath={.status.phase}'])).stdout,
        { timeout: 240_000, interval: 1000 },
      ).toMatch(/^(Succeeded|Failed)$/);
      const phase = await kube().kubectlOk(['-n', namespace, 'get', 'pod', name, '-o', 'jsonpath={.status.phase}']);
      return { phase, log: await kube().kubectlOk(['-n', namespace, 'logs', name]) };
    };
    // As in the pod we build: the examples clone and the user's notebooks are
    // volumes, so the folders the runtime creates for their mount points
    // (root-owned) are never ones startup.sh must write into.
    const examples = {
      mounts: [
        { name: 'examples', mountPath: '/home/jovyan/thinkube/examples-repo/thinkube-ai-examples' },
        { name: 'notebooks', mountPath: '/home/jovyan/thinkube/notebooks' },
      ],
    };
    const examplesVolume = [{ name: 'examples', emptyDir: {} }, { name: 'notebooks', emptyDir: {} }];
    const versions = 'id -u; jupyterhub-singleuser --version; jupyter lab --version';

    it.each(['tk-jupyter-ml-cpu', 'tk-jupyter-ml-gpu'])('%s (family thinkube): startup.sh runs the args as uid 1000, with jupyterhub-singleuser and JupyterLab', async (image) => {
      const { phase, log } = await runImage(`${image}-ok`, `${image}:1`, ['bash', '-c', versions], examples, examplesVolume);
      expect(phase).toBe('Succeeded');
      expect(log).toMatch(/^1000\n5\.3\.0\n4\.4\.9\n$/m);
    }, 300_000);

    it('tk-jupyter-ml-cpu: startup.sh exits 1 without the examples clone, as the real image does', async () => {
      const { phase, log } = await runImage('ml-cpu-no-examples', 'tk-jupyter-ml-cpu:1', ['bash', '-c', versions]);
      expect(phase).toBe('Failed');
      expect(log).toContain('Examples repository not found');
    }, 300_000);

    it('tk-jupyter-scipy (family docker-stacks): tini + start.sh; as root it grants sudo (GRANT_SUDO) and drops to jovyan', async () => {
      const { phase, log } = await runImage('scipy-root', 'tk-jupyter-scipy:1', ['bash', '-c', `${versions}; sudo -n id -u`], {
        securityContext: { runAsUser: 0 },
        env: [{ name: 'GRANT_SUDO', value: 'yes' }],
      });
      expect(phase).toBe('Succeeded');
      expect(log).toMatch(/^1000\n5\.3\.0\n4\.4\.9\n0\n$/m);
    }, 300_000);
  });

  describe('hub and proxy images, pulled from the registry', () => {
    const runToCompletion = async (name: string, image: string, command: string[]): Promise<string> => {
      await kube().kubectlOk(['apply', '-f', '-'], {
        input: JSON.stringify({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name, namespace },
          spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: `${kube().node!.registry}/library/${image}`, imagePullPolicy: 'IfNotPresent', command }] },
        }),
      });
      await kube().kubectlOk(['-n', namespace, 'wait', '--for=jsonpath={.status.phase}=Succeeded', `pod/${name}`, '--timeout=240s'], { timeoutMs: 250_000 });
      return kube().kubectlOk(['-n', namespace, 'logs', name]);
    };

    it('k8s-hub: the chart\'s hub recipe, its pinned packages importable, as uid 1000', async () => {
      const log = await runToCompletion('hub-image', 'k8s-hub:4.4.0', ['sh', '-c',
        'id -u && jupyterhub --version && python3 -c "import kubespawner, oauthenticator, pycurl, jupyterhub_idle_culler; print(oauthenticator.__version__)"']);
      expect(log).toMatch(/^1000\n5\.5\.0\n17\.4\.0\n$/);
    }, 300_000);

    it('configurable-http-proxy: the proxy from npm on Debian\'s Node.js', async () => {
      const log = await runToCompletion('proxy-image', 'configurable-http-proxy:4.6.3', ['configurable-http-proxy', '--version']);
      expect(log.trim()).toBe('4.6.3');
    }, 300_000);
  });

  it('stop removes the namespace, its cgroups and every process', async () => {
    const node = kube().node!;
    await kube().stop();
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(node.netns);
    const cgroupRoots = readdirSync('/sys/fs/cgroup').map((c) => `/sys/fs/cgroup/${c}/thinkube-node`);
    expect(cgroupRoots.filter((dir) => existsSync(dir))).toEqual([]);
    expect(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })).not.toMatch(/kubelet|containerd|kube-proxy|coredns/);
    expect(existsSync(kube().stateDir)).toBe(false);
    expect(hostNetwork()).not.toMatch(clusterRanges);
  });
});
