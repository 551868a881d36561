/**
 * Node benchmark: the real node of test/node (kubelet, containerd, CNI,
 * kube-proxy, CoreDNS, with the control plane, all inside one network
 * namespace). Reports the cold build recorded by provision.sh, then, from
 * the warm cache: start until the node is Ready, a first pod (pulled from the local registry) Running,
 * apply -> hub Ready (our manifests applied, the chart installed by helm,
 * hub and proxy Ready on the node: test/node/hub-install.ts) and stop (which
 * undoes every host change). Target: node Ready under 60 s. Then, for each
 * image family, the time from a spawn request to JupyterLab answering (hub
 * API, KubeSpawner, the pod's init containers, the image's entrypoint, the
 * Jupyter server, `GET /user/<name>/lab` 200 through proxy-public), the
 * median of 5 fresh spawns (each server stopped and its pod gone before the
 * next).
 * Baselines in the same run: the control plane alone (test/kube) start, and
 * the first busybox pod Running (for the spawns).
 *
 *   npx tsx bench/node.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { randomBytes } from 'node:crypto';
import { nodeUnavailableReason, startKube } from '../test/kube/harness.js';
import { hubApi } from '../test/node/hub-api.js';
import { installHubOnNode } from '../test/node/hub-install.js';

const READY_TARGET_S = 60;
const seconds = (startMs: number): number => (performance.now() - startMs) / 1000;
const fmt = (value: number): string => `${value.toFixed(1)} s`;
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const SPAWNS = 5;
/** One image per family (lib/values/notebook-start.ts), as the fallback profile offers them. */
const FAMILIES = { thinkube: 'tk-jupyter-ml-cpu', 'docker-stacks': 'tk-jupyter-scipy' } as const;

const reason = nodeUnavailableReason();
if (reason !== undefined) {
  console.error(`node bench: tier unavailable: ${reason}`);
  process.exit(1);
}

const cache = join(process.env.THINKUBE_JH_CACHE ?? join(process.env.HOME ?? '/root', '.cache', 'cdk8s-thinkube-jupyterhub'), 'kube');
const recorded = (file: string): string => {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return 'not recorded';
  }
};

let t = performance.now();
const plane = await startKube();
const planeStart = seconds(t);
await plane?.stop();

t = performance.now();
const kube = await startKube({ node: true });
if (kube?.node === undefined) throw new Error('node bench: the node did not start');
const ready = seconds(t);
let podRunning: number;
let hubReady: number;
const spawnToLab: Record<string, number[]> = {};
try {
  t = performance.now();
  await kube.kubectlOk(['run', 'bench', `--image=${kube.node.registry}/library/busybox:1.35`, '--image-pull-policy=IfNotPresent', '--', 'sleep', '3600']);
  await kube.kubectlOk(['wait', '--for=condition=Ready', 'pod/bench', '--timeout=60s'], { timeoutMs: 70_000 });
  podRunning = seconds(t);
  const apiToken = randomBytes(32).toString('hex');
  const hub = await installHubOnNode(kube, apiToken);
  hubReady = hub.applyToHubReadySeconds;
  const api = await hubApi(kube, hub.namespace, apiToken);
  for (const [family, image] of Object.entries(FAMILIES)) {
    const runs: number[] = [];
    for (let i = 0; i < SPAWNS; i++) {
      const user = `bench-${i}`;
      t = performance.now();
      await api.spawn(user, { profile: 'custom', image });
      for (;;) {
        const lab = await api.request('GET', `/user/${user}/lab`);
        if (lab.status === 200 && lab.body.includes('JupyterLab')) break;
        if (seconds(t) > 240) throw new Error(`node bench: ${user}'s JupyterLab never answered: ${lab.status}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      runs.push(seconds(t));
      await api.stopServer(user);
      await kube.kubectlOk(['-n', hub.namespace, 'wait', '--for=delete', 'pod', '-l', `hub.jupyter.org/username=${user}`, '--timeout=90s'], { timeoutMs: 100_000 });
    }
    spawnToLab[family] = runs;
  }
} finally {
  t = performance.now();
  await kube.stop();
}
const stop = seconds(t);

const version = kube.version;
console.log(`cold build (the last cold run of provision.sh; partial runs in build-history): ${recorded(join(cache, version, 'node', 'build-seconds'))}`);
console.log(`baseline: control plane alone, start to ready: ${fmt(planeStart)}`);
console.log(`warm start to node Ready:                     ${fmt(ready)} (target < ${READY_TARGET_S} s, ${(ready / planeStart).toFixed(1)}x the control plane alone)`);
console.log(`first pod Running after Ready:                ${fmt(podRunning)}`);
console.log(`apply -> hub Ready (helm, image pulls):       ${fmt(hubReady)}`);
for (const [family, runs] of Object.entries(spawnToLab)) {
  const image = FAMILIES[family as keyof typeof FAMILIES];
  console.log(`spawn -> JupyterLab ready, ${family} (${image}): median ${fmt(median(runs))} of ${runs.length} `
    + `[${runs.map((r) => r.toFixed(1)).join(', ')}], ${(median(runs) / podRunning).toFixed(1)}x the first busybox pod`);
}
console.log(`stop and undo every host change:              ${fmt(stop)}`);
console.log(`load average: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
process.exitCode = ready < READY_TARGET_S ? 0 : 1;
