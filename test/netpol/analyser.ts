/**
 * The NetworkPolicy tier: Cyclonus (the engine policy-assistant of
 * sigs.k8s.io/network-policy-api grew from), built from Go modules by
 * test/netpol/provision.sh, simulates the verdict of a set of NetworkPolicies
 * for given traffic (`analyze --mode query-traffic`), as a conforming network
 * plugin would enforce them.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { REPO } from '../support/run-synth.js';
import type { Manifest } from '../support/synth.js';
import { scriptCheckReason } from '../support/tier.js';

const versions = readFileSync(join(REPO, 'test', 'netpol', 'versions.sh'), 'utf8');
const VERSION = /^CYCLONUS_VERSION=(\S+)$/m.exec(versions)![1];
const cache = join(process.env.THINKUBE_JH_CACHE ?? join(homedir(), '.cache', 'cdk8s-thinkube-jupyterhub'), 'netpol', VERSION);
const cyclonus = join(cache, 'bin', 'cyclonus');

/** Why the tier cannot run here (analyser not built), or undefined. */
export function netpolUnavailableReason(): string | undefined {
  return scriptCheckReason(join(REPO, 'test', 'netpol', 'provision.sh'));
}

/** A pod (labels in a namespace) or, with no `pod`, an address outside the cluster's pods. */
export interface Peer {
  readonly ip: string;
  readonly namespace?: string;
  readonly pod?: Readonly<Record<string, string>>;
}

export interface Traffic {
  readonly from: Peer;
  readonly to: Peer;
  readonly port: number;
  /** The destination container port's name (policies may name ports). */
  readonly portName?: string;
  readonly protocol?: 'TCP' | 'UDP';
}

function endpoint(peer: Peer): Record<string, unknown> {
  if (peer.pod === undefined) return { IP: peer.ip };
  const namespace = peer.namespace!;
  return {
    // Kubernetes labels every namespace with its name (1.21+); policies select by it.
    Internal: { PodLabels: peer.pod, NamespaceLabels: { 'kubernetes.io/metadata.name': namespace }, Namespace: namespace },
    IP: peer.ip,
  };
}

/** Whether each traffic is allowed by `policies`, in order. */
export function verdicts(policies: readonly Manifest[], traffic: readonly Traffic[]): boolean[] {
  const dir = mkdtempSync(join(tmpdir(), 'tjh-netpol-'));
  try {
    const policyDir = join(dir, 'policies');
    mkdirSync(policyDir);
    policies.forEach((policy, i) => writeFileSync(join(policyDir, `${i}.yaml`), stringify(policy)));
    const trafficFile = join(dir, 'traffic.json');
    writeFileSync(trafficFile, JSON.stringify(traffic.map((t) => ({
      Source: endpoint(t.from),
      Destination: endpoint(t.to),
      Protocol: t.protocol ?? 'TCP',
      ResolvedPort: t.port,
      ResolvedPortName: t.portName ?? '',
    }))));
    const run = spawnSync(cyclonus, [
      'analyze', '--mode', 'query-traffic', '--policy-path', policyDir, '--traffic-path', trafficFile,
    ], { encoding: 'utf8', timeout: 120_000 });
    if (run.status !== 0) throw new Error(`cyclonus failed (${run.status}): ${run.stderr}`);
    const answers = [...run.stdout.matchAll(/\|\s*IS ALLOWED\?\s*\|\s*(TRUE|FALSE)\s*\|/g)].map((m) => m[1] === 'TRUE');
    if (answers.length !== traffic.length) {
      throw new Error(`cyclonus answered ${answers.length} of ${traffic.length} traffic queries:\n${run.stdout}\n${run.stderr}`);
    }
    return answers;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
