/**
 * Service discovery benchmark against the real kube-apiserver of the kube
 * test tier: 50 registered services × 10 variables, 10 of those 500
 * variables secret references (5 in the service's namespace, 5 across
 * namespaces). Measures lib/discovery/service-discovery-init.sh and, in the
 * same run, the original approach (bench/discovery-baseline.sh: one yq process
 * per variable); reports wall times, their ratio, the processes each runs,
 * and the API requests each makes (from the API server's own metrics).
 *
 *   npx tsx bench/discovery.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type KubeHarness, startKube } from '../test/kube/harness.js';
import {
  type Manifest,
  type SecretRef,
  asList,
  discoveryNamespace,
  discoveryRbac,
  discoveryServiceAccount,
  namespace,
  plainVariable,
  secret,
  secretVariable,
  serviceConfigMap,
  serviceYaml,
} from '../test/discovery/manifests.js';
import {
  type DiscoveryRun,
  discoveryUnavailableReason,
  runDiscovery,
  sourceEnvFile,
} from '../test/discovery/run-discovery.js';

const services = 50;
const variablesPerService = 10;
const secretReferences = 10;
const runs = { ours: 7, baseline: 3 };
const baselineScript = join(dirname(fileURLToPath(import.meta.url)), 'discovery-baseline.sh');

function registrations(): { manifests: Manifest[]; allowListed: SecretRef[] } {
  const shared = 'bench-shared';
  const manifests: Manifest[] = [namespace(discoveryNamespace), namespace(shared)];
  const allowListed: SecretRef[] = [];
  for (let s = 0; s < services; s++) {
    const ns = `bench-svc-${String(s).padStart(2, '0')}`;
    const variables: string[] = [];
    for (let v = 0; v < variablesPerService; v++) {
      variables.push(plainVariable(`SVC${s}_VAR${v}`, `https://svc-${s}.example.com/path/${v}`));
    }
    if (s < secretReferences) {
      const ref = { namespace: s % 2 === 0 ? ns : shared, name: `svc-${s}-credentials` };
      manifests.push(secret(ref, { password: `password-of-${s}` }));
      allowListed.push(ref);
      variables[variablesPerService - 1] = secretVariable(
        `SVC${s}_PASSWORD`,
        ref.namespace === ns ? { name: ref.name } : ref,
        'password',
      );
    }
    manifests.unshift(namespace(ns));
    manifests.push(serviceConfigMap(ns, serviceYaml(`svc-${s}`, variables)));
  }
  return { manifests, allowListed };
}

/** apiserver_request_total summed per "VERB resource" (non-resource URLs: "GET -"). */
async function requestCounts(kube: KubeHarness): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const line of (await kube.kubectlOk(['get', '--raw', '/metrics'])).split('\n')) {
    const match = /^apiserver_request_total\{(.*)\} (\d+(?:\.\d+)?(?:e\+\d+)?)$/.exec(line);
    if (!match) continue;
    const label = (name: string): string => new RegExp(`${name}="([^"]*)"`).exec(match[1])?.[1] ?? '';
    const key = `${label('verb')} ${label('resource') || '-'}`;
    counts.set(key, (counts.get(key) ?? 0) + Number(match[2]));
  }
  return counts;
}

interface Measured {
  medianMs: number;
  runsMs: number[];
  counted: DiscoveryRun;
  requests: Map<string, number>;
}

async function measure(
  kube: KubeHarness,
  kubeconfig: string,
  workDir: string,
  name: string,
  times: number,
  script?: string,
): Promise<Measured> {
  const run = async (label: string, countCalls: boolean): Promise<DiscoveryRun> => {
    const result = await runDiscovery({
      kubeconfig, kubeBinDir: kube.binDir, workDir: join(workDir, `${name}-${label}`), script, countCalls,
    });
    if (result.code !== 0) throw new Error(`${name} exited ${result.code}: ${result.stderr}`);
    return result;
  };
  await run('warm-up', false);
  const runsMs: number[] = [];
  for (let i = 0; i < times; i++) runsMs.push((await run(`timed-${i}`, false)).wallMs);
  const before = await requestCounts(kube);
  const counted = await run('counted', true);
  const after = await requestCounts(kube);
  const requests = new Map<string, number>();
  for (const [key, value] of after) {
    // The first /metrics scrape is counted in the second.
    const delta = value - (before.get(key) ?? 0) - (key === 'GET -' ? 1 : 0);
    if (delta > 0) requests.set(key, delta);
  }
  const sorted = [...runsMs].sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)], runsMs, counted, requests };
}

/** The requests a discovery script makes; the API server's own (leases, endpoints) are left out. */
const format = (requests: Map<string, number>): string =>
  [...requests].filter(([key]) => /^\S+ (configmaps|secrets|-)$/.test(key)).sort()
    .map(([key, n]) => `${key === 'GET -' ? 'GET discovery' : key}: ${n}`).join(', ');

export async function benchDiscovery(): Promise<void> {
  const reason = discoveryUnavailableReason();
  if (reason !== undefined) throw new Error(`discovery benchmark cannot run: ${reason}`);
  const kube = await startKube();
  if (kube === undefined) throw new Error('the kube harness did not start');
  const workDir = await mkdtemp(join(tmpdir(), 'thinkube-discovery-bench-'));
  try {
    const { manifests, allowListed } = registrations();
    await kube.kubectlOk(['apply', '-f', '-'], { input: asList(manifests), timeoutMs: 300_000 });
    await kube.kubectlOk(['apply', '-f', '-'], { input: asList(discoveryRbac(allowListed)) });
    const kubeconfig = await kube.serviceAccountKubeconfig(discoveryNamespace, discoveryServiceAccount);

    const ours = await measure(kube, kubeconfig, workDir, 'ours', runs.ours);
    const baseline = await measure(kube, kubeconfig, workDir, 'baseline', runs.baseline, baselineScript);

    const ourEnv = await sourceEnvFile(ours.counted.envFile, workDir);
    const baselineEnv = await sourceEnvFile(baseline.counted.envFile, workDir);
    const expectedCount = services * variablesPerService;
    if (Object.keys(ourEnv).length !== expectedCount || JSON.stringify(ourEnv) !== JSON.stringify(baselineEnv)) {
      throw new Error(`the two scripts disagree or miss variables (${Object.keys(ourEnv).length} vs ` +
        `${Object.keys(baselineEnv).length}, expected ${expectedCount})`);
    }

    const row = (label: string, m: Measured): string =>
      `${label.padEnd(22)} median ${(m.medianMs / 1000).toFixed(3)} s of ${m.runsMs.length} ` +
      `(${m.runsMs.map((ms) => (ms / 1000).toFixed(2)).join(' ')}); ` +
      `processes: kubectl ${m.counted.kubectlCalls.length}, yq ${m.counted.yqCalls}; API requests: ${format(m.requests)}`;
    console.log(`service discovery: ${services} services × ${variablesPerService} variables, ` +
      `${secretReferences} secret references, Kubernetes ${kube.version}, both scripts agree on ${expectedCount} variables; ` +
      `${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(row('this script', ours));
    console.log(row('one yq per variable', baseline));
    console.log(`ratio (baseline / this script, medians): ${(baseline.medianMs / ours.medianMs).toFixed(1)}×`);
    console.log(`target < 1 s: ${ours.medianMs < 1000 ? 'met' : 'MISSED'} (${(ours.medianMs / 1000).toFixed(3)} s)`);
    if (ours.medianMs >= 1000) process.exitCode = 1;
  } finally {
    await rm(workDir, { recursive: true, force: true });
    await kube.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchDiscovery();
}
