/**
 * Node benchmark: the real node of test/node (kubelet, containerd, CNI,
 * kube-proxy, CoreDNS, with the control plane, all inside one network
 * namespace). Reports the cold build recorded by provision.sh, then, from
 * the warm cache: start until the node is Ready, a first pod (pulled from the local registry) Running,
 * apply -> hub Ready (our manifests applied, the chart installed by helm,
 * hub and proxy Ready on the node: test/node/hub-install.ts) and stop (which
 * undoes every host change). Target: node Ready under 60 s.
 * Baseline in the same run: the control plane alone (test/kube) start.
 *
 *   npx tsx bench/node.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { randomBytes } from 'node:crypto';
import { nodeUnavailableReason, startKube } from '../test/kube/harness.js';
import { installHubOnNode } from '../test/node/hub-install.js';

const READY_TARGET_S = 60;
const seconds = (startMs: number): number => (performance.now() - startMs) / 1000;
const fmt = (value: number): string => `${value.toFixed(1)} s`;

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
try {
  t = performance.now();
  await kube.kubectlOk(['run', 'bench', `--image=${kube.node.registry}/library/busybox:1.35`, '--image-pull-policy=IfNotPresent', '--', 'sleep', '3600']);
  await kube.kubectlOk(['wait', '--for=condition=Ready', 'pod/bench', '--timeout=60s'], { timeoutMs: 70_000 });
  podRunning = seconds(t);
  hubReady = (await installHubOnNode(kube, randomBytes(32).toString('hex'))).applyToHubReadySeconds;
} finally {
  t = performance.now();
  await kube.stop();
}
const stop = seconds(t);

const version = kube.version;
console.log(`cold build (recorded by provision.sh): ${recorded(join(cache, version, 'node', 'build-seconds'))}`);
console.log(`baseline: control plane alone, start to ready: ${fmt(planeStart)}`);
console.log(`warm start to node Ready:                     ${fmt(ready)} (target < ${READY_TARGET_S} s, ${(ready / planeStart).toFixed(1)}x the control plane alone)`);
console.log(`first pod Running after Ready:                ${fmt(podRunning)}`);
console.log(`apply -> hub Ready (helm, image pulls):       ${fmt(hubReady)}`);
console.log(`stop and undo every host change:              ${fmt(stop)}`);
console.log(`load average: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
process.exitCode = ready < READY_TARGET_S ? 0 : 1;
