/**
 * Flux delivers the hub (`delivery: fluxHelmRelease`): Flux's own
 * source-controller and helm-controller, built from Go modules
 * (provision.sh), run against the node tier's cluster as they run in
 * flux-system. After `kubectl apply -f dist`, source-controller reads our
 * HelmRepository from a chart repository on 127.0.0.1 (the real chart
 * archive, indexed by the real `helm repo index`), and helm-controller
 * installs our HelmRelease with helm in-process; the hub and proxy get Ready
 * on the node. A broken upgrade is then rolled back, never uninstalled.
 *
 * What differs from a cluster, and why:
 * - the controllers run as processes on the machine with an admin
 *   kubeconfig, not as pods (their images cannot be built here);
 * - chart.repo names the local repository: hub.jupyter.org is unreachable;
 * - the node tier's test overlay (hub-install.ts testOverlay: images from the
 *   local registry, the test's API token) is merged into the HelmRelease's
 *   values with a JSON merge patch (RFC 7386: maps merge, the rest is
 *   replaced, as `helm -f values -f overlay` merges it);
 * - the failing upgrade gets `spec.timeout: 120s` (Flux's default is 5m).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Values, deepMerge } from '../../lib/index.js';
import { useKube } from '../kube/use-kube.js';
import { nodeTierUnavailable } from '../node/gate.js';
import { type PreparedHub, prepareHubOnNode, testConfig, testOverlay, waitForHubOnNode } from '../node/hub-install.js';
import { type ChartRepository, startChartRepository } from '../support/chart-repository.js';
import { chartArchive, helmOk, helmUnavailableReason } from '../support/helm.js';
import { freePort } from '../support/ports.js';
import { type BackgroundProcess, startInBackground } from '../support/process.js';
import { REPO } from '../support/run-synth.js';
import { find } from '../support/synth.js';
import { scriptCheckReason, tierUnavailable } from '../support/tier.js';

const PROVISION = join(REPO, 'test/flux/provision.sh');
const unavailable = nodeTierUnavailable() || tierUnavailable('helm', helmUnavailableReason()) || tierUnavailable('flux', scriptCheckReason(PROVISION));

interface HelmRelease {
  metadata: { name: string; namespace: string };
  spec: { releaseName: string; targetNamespace: string; values: Values; chart: { spec: { chart: string; version: string } } };
  status?: { conditions?: { type: string; status: string; reason: string; message: string }[]; history?: { chartName: string; chartVersion: string; status: string; version: number }[] };
}

describe.skipIf(unavailable)('Flux source-controller and helm-controller install the hub from the HelmRelease of kubectl apply -f dist', () => {
  const kube = useKube({ node: true });
  const controllers = new Map<string, BackgroundProcess>();
  let repository: ChartRepository | undefined;
  let hub: PreparedHub;
  let release: HelmRelease;
  const apiToken = randomBytes(32).toString('hex');
  const fluxDir = () => execFileSync('bash', [PROVISION, 'path'], { encoding: 'utf8' }).trim();
  const logOf = (name: string) => controllers.get(name)?.logTail(40) ?? '(not started)';

  afterAll(async () => {
    for (const controller of controllers.values()) await controller.stop();
    await repository?.stop();
    // A node with the hub and proxy running outlasts useKube's hook; stop is idempotent.
    await kube().stop();
  }, 180_000);

  /** Starts a controller as Flux runs it, but as a process here: only its flags, our kubeconfig, a log in stateDir. */
  function startController(name: string, args: string[]): void {
    const k = kube();
    controllers.set(name, startInBackground(join(fluxDir(), 'bin', name), ['--metrics-addr=0', '--health-addr=127.0.0.1:0', ...args],
      { PATH: process.env.PATH, HOME: process.env.HOME, KUBECONFIG: k.kubeconfig }, join(k.stateDir, `${name}.log`)));
  }

  const getRelease = async (): Promise<HelmRelease> =>
    JSON.parse(await kube().kubectlOk(['-n', release.metadata.namespace, 'get', 'helmrelease', release.metadata.name, '-o', 'json']));

  /** Polls the HelmRelease until `done` holds; throws with its status and both controllers' logs. */
  async function releaseUntil(what: string, done: (r: HelmRelease) => boolean, timeoutMs: number): Promise<HelmRelease> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = await getRelease();
      if (done(current)) return current;
      const exited = [...controllers.entries()].find(([, c]) => c.child.exitCode !== null);
      if (exited !== undefined || Date.now() > deadline) {
        throw new Error(`HelmRelease: ${exited ? `${exited[0]} exited (${exited[1].child.exitCode})` : `not ${what} after ${timeoutMs} ms`}\n` +
          `status: ${JSON.stringify(current.status, null, 1)}\n--- source-controller\n${logOf('source-controller')}\n--- helm-controller\n${logOf('helm-controller')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }

  /** A JSON merge patch of our HelmRelease, from a 0600 file: the overlay holds the test's API token, never on a command line. */
  async function patchRelease(patch: Values): Promise<void> {
    const file = join(kube().stateDir, 'helmrelease-patch.json');
    writeFileSync(file, JSON.stringify(patch), { mode: 0o600 });
    await kube().kubectlOk(['-n', release.metadata.namespace, 'patch', 'helmrelease', release.metadata.name, '--type', 'merge', '--patch-file', file]);
  }

  const condition = (r: HelmRelease, type: string) => r.status?.conditions?.find((c) => c.type === type);
  const helmEnv = () => ({ KUBECONFIG: kube().kubeconfig });

  it('kubectl apply -f dist: source-controller fetches the chart from the HelmRepository, helm-controller installs it, the hub is Ready on the node', async () => {
    const k = kube();
    const node = k.node!;
    // What `flux install` puts on a cluster first: the CRDs its modules ship, then the controllers.
    await k.kubectlOk(['apply', '--server-side', '-f', join(fluxDir(), 'crds')]);
    await k.kubectlOk(['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']);
    repository = await startChartRepository([chartArchive('4.4.0')]);
    const storagePort = await freePort();
    const storage = join(k.stateDir, 'flux-storage');
    mkdirSync(storage, { recursive: true });
    startController('source-controller', [`--storage-path=${storage}`, `--storage-addr=127.0.0.1:${storagePort}`, `--storage-adv-addr=127.0.0.1:${storagePort}`]);

    hub = await prepareHubOnNode(k, { config: { ...testConfig(node.registry), delivery: 'fluxHelmRelease', chart: { repo: repository.url } } });
    release = find(hub.manifests, 'HelmRelease') as unknown as HelmRelease;
    expect(find(hub.manifests, 'HelmRepository').spec).toMatchObject({ url: repository.url });
    // The user's step, verbatim; then the node's overlay, before any helm-controller has seen the release.
    await k.kubectlOk(['apply', '-f', hub.outdir]);
    const overlay = testOverlay(node.registry, apiToken);
    await patchRelease({ spec: { values: overlay } });
    startController('helm-controller', []);

    const ready = await releaseUntil('Ready', (r) => condition(r, 'Ready')?.status === 'True', 480_000);
    console.log(`apply -> HelmRelease Ready (hub Ready): ${((performance.now() - hub.started) / 1000).toFixed(1)} s`);
    expect(ready.status?.history?.[0]).toMatchObject({ chartName: 'jupyterhub', chartVersion: '4.4.0', status: 'deployed', version: 1 });
    // source-controller read the index and the archive from the repository the HelmRepository names.
    expect(repository.requests).toEqual(expect.arrayContaining(['/index.yaml', '/jupyterhub-4.4.0.tgz']));

    // The release helm-controller made, read back by the real helm: our values with the overlay over them.
    const values = JSON.parse(helmOk(['get', 'values', release.spec.releaseName, '-n', release.spec.targetNamespace, '-o', 'json'], helmEnv()));
    expect(values).toEqual(deepMerge(release.spec.values, overlay));
    expect(values.singleuser.extraEnv.JUPYTER_ENABLE_LAB).toBe('yes');
    const [listed] = JSON.parse(helmOk(['list', '-n', release.spec.targetNamespace, '-o', 'json'], helmEnv()));
    expect(listed).toMatchObject({ name: release.spec.releaseName, chart: 'jupyterhub-4.4.0', status: 'deployed', revision: '1' });

    await waitForHubOnNode(k, hub.namespace, 60);
    const pods = JSON.parse(await k.kubectlOk(['-n', hub.namespace, 'get', 'pods', '-l', 'component in (hub,proxy)', '-o', 'json'])).items as { spec: { nodeName: string } }[];
    expect(pods.map((p) => p.spec.nodeName)).toEqual([node.name, node.name]);
  }, 600_000);

  it('a failed upgrade is rolled back to the release that worked: the hub, its database claim and the release stay', async () => {
    const k = kube();
    const ns = release.spec.targetNamespace;
    // A hub that cannot start: its config raises, so helm's wait for the Deployment times out.
    await patchRelease({ spec: { timeout: '120s', values: { hub: { extraConfig: { zzBroken: 'raise SystemExit("broken on purpose")' } } } } });
    const after = await releaseUntil('rolled back', (r) => (r.status?.history?.length ?? 0) >= 2 && condition(r, 'Remediated')?.status === 'True', 360_000);
    expect(condition(after, 'Remediated')?.reason).toBe('RollbackSucceeded');
    expect(condition(after, 'Ready')?.status).toBe('False');

    // helm's own record: the upgrade failed, the rollback is the deployed revision, nothing was uninstalled.
    const history = JSON.parse(helmOk(['history', release.spec.releaseName, '-n', ns, '-o', 'json'], helmEnv())) as { revision: number; status: string; description: string }[];
    expect(history.map((h) => h.status)).toEqual(['superseded', 'failed', 'deployed']);
    expect(history[2].description).toMatch(/Rollback to 1/);
    const values = JSON.parse(helmOk(['get', 'values', release.spec.releaseName, '-n', ns, '-o', 'json'], helmEnv()));
    expect(values.hub.extraConfig?.zzBroken).toBeUndefined();
    await waitForHubOnNode(k, ns, 240);
    const claim = JSON.parse(await k.kubectlOk(['-n', ns, 'get', 'pvc', 'hub-db-dir', '-o', 'json']));
    expect(claim.status.phase).toBe('Bound');
    expect(claim.metadata.deletionTimestamp).toBeUndefined();
  }, 600_000);
});
