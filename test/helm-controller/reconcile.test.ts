import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../lib/config/index.js';
import { detectCapabilities } from '../../lib/preflight/capabilities.js';
import { synthFor } from '../cluster/support.js';
import { kubeUnavailableReason } from '../kube/harness.js';
import { useKube } from '../kube/use-kube.js';
import { type BackgroundProcess, startInBackground } from '../support/process.js';
import { REPO } from '../support/run-synth.js';
import { scriptCheckReason, tierUnavailable } from '../support/tier.js';
import { tempDir } from '../support/temp-dir.js';

/*
 * The real k3s-io helm-controller (the one k3s and RKE2 embed, built from Go
 * modules by provision.sh) against the kube harness's control plane: after
 * `kubectl apply -f dist` it reconciles our HelmChart into its install Job and
 * values Secret. The Job itself cannot run here (no kubelet, no scheduler):
 * the proof is what the controller hands that Job, which is what klipper-helm
 * would run `helm install` with on a real cluster.
 */
const PROVISION = join(REPO, 'test/helm-controller/provision.sh');

interface HelmChartObject {
  metadata: { name: string; namespace: string };
  spec: { repo: string; chart: string; version: string; targetNamespace: string; failurePolicy: string; valuesContent: string };
}

const gated = tierUnavailable('kube', kubeUnavailableReason()) || tierUnavailable('helm-controller', scriptCheckReason(PROVISION));

describe.skipIf(gated)('the k3s-io helm-controller reconciles the HelmChart of kubectl apply -f dist', () => {
  const kube = useKube();
  let controller: BackgroundProcess | undefined;
  let chart: HelmChartObject;

  /** Polls `kubectl get` until the object exists; returns it as JSON. */
  async function eventually(args: string[], timeoutMs = 60_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = await kube().kubectl(['get', ...args, '-o', 'json']);
      if (got.code === 0) return JSON.parse(got.stdout);
      if (controller?.child.exitCode !== null) throw new Error(`helm-controller exited (${controller?.child.exitCode}):\n${controller?.logTail()}`);
      if (Date.now() > deadline) throw new Error(`kubectl get ${args.join(' ')}: not there after ${timeoutMs} ms: ${got.stderr}\nhelm-controller log:\n${controller.logTail()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  beforeAll(async () => {
    const k = kube();
    const { outdir, files } = synthFor({});
    chart = Object.values(files).flatMap((text) => parseAllDocuments(text).map((d) => d.toJS() as { kind?: string }))
      .find((d): d is HelmChartObject & { kind: string } => d?.kind === 'HelmChart') as HelmChartObject;
    // Only for this describe; its kubeconfig, no inherited KUBECONFIG/NAMESPACE; without --debug it listens on no port.
    const binary = execFileSync('bash', [PROVISION, 'path'], { encoding: 'utf8' }).trim();
    controller = startInBackground(binary, ['--kubeconfig', k.kubeconfig], { PATH: process.env.PATH, HOME: process.env.HOME }, join(k.stateDir, 'helm-controller.log'));
    // Started: it holds its leader Lease (the signal preflight reads).
    await eventually(['lease', '-n', 'kube-system', 'helm-controller-lock']);
    await k.kubectlOk(['apply', '-f', outdir]);
  }, 120_000);

  afterAll(async () => {
    await controller?.stop();
  }, 30_000);

  it('the synthesized HelmChart is what the assertions below compare with', () => {
    expect(chart.metadata).toEqual({ name: 'jupyterhub', namespace: 'kube-system' });
    expect(chart.spec).toMatchObject({ repo: 'https://hub.jupyter.org/helm-chart/', chart: 'jupyterhub', targetNamespace: 'jupyterhub', failurePolicy: 'abort' });
    expect(chart.spec.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('claims the HelmChart and names its install Job in the status', async () => {
    const { name, namespace } = chart.metadata;
    const deadline = Date.now() + 60_000;
    let live = await eventually(['helmchart', '-n', namespace, name]);
    while (live.status?.jobName === undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      live = await eventually(['helmchart', '-n', namespace, name]);
    }
    expect(live.metadata.annotations['helmcharts.cattle.io/managed-by']).toBe('helm-controller');
    expect(live.status.jobName).toBe(`helm-install-${name}`);
  });

  it('writes our values byte for byte into the values Secret chart-values-<name>', async () => {
    const { name, namespace } = chart.metadata;
    const secret = await eventually(['secret', '-n', namespace, `chart-values-${name}`]);
    expect(Object.keys(secret.data)).toEqual(['HelmChartValuesContent']);
    const stored = Buffer.from(secret.data.HelmChartValuesContent, 'base64').toString('utf8');
    expect(stored).toBe(chart.spec.valuesContent);
    expect(stored.length).toBeGreaterThan(10_000);
  });

  it('builds the install Job helm-install-<name> with repo, chart, version, target namespace and failurePolicy abort', async () => {
    const { name, namespace } = chart.metadata;
    const job = await eventually(['job', '-n', namespace, `helm-install-${name}`]);
    const pod = job.spec.template.spec;
    const [container] = pod.containers;
    const env = Object.fromEntries(container.env.map((e: { name: string; value?: string }) => [e.name, e.value]));
    // How the controller passes them (pkg/controllers/chart/chart.go: job(), args(), setFailurePolicy()):
    // klipper-helm's entrypoint reads the env and runs `helm <args>`.
    expect(container.args).toEqual(['install', '--namespace', chart.spec.targetNamespace, '--version', chart.spec.version]);
    expect(env).toMatchObject({
      NAME: name,
      REPO: chart.spec.repo,
      // With a repo, the chart is addressed through a repo named after the HelmChart.
      CHART: `${name}/${chart.spec.chart}`,
      VERSION: chart.spec.version,
      TARGET_NAMESPACE: chart.spec.targetNamespace,
      CHART_NAMESPACE: namespace,
      FAILURE_POLICY: 'abort',
    });
    expect(pod.serviceAccountName).toBe(`helm-${name}`);
    // The values reach helm as a file projected from that Secret.
    const values = pod.volumes.find((v: any) => v.projected !== undefined);
    expect(values.projected.sources).toContainEqual({
      secret: { name: `chart-values-${name}`, items: [{ key: 'HelmChartValuesContent', path: 'values-0-000-HelmChart-ValuesContent.yaml' }] },
    });
    // No kubelet and no scheduler in this tier: the Job's pod is never placed, so the install itself is not run here.
    expect(job.status.succeeded ?? 0).toBe(0);
  });

  it('is what preflight calls a running helm-controller: its Lease, so delivery helmChart fits', async () => {
    const k = kube();
    const kubeconfig = new KubeConfig();
    kubeconfig.loadFromFile(k.kubeconfig);
    // The example config (what synthFor({}) synthesized), not a jupyterhub.config.yaml that may sit in the checkout.
    const { config } = loadConfig({}, tempDir('tjh-helm-controller'));
    const capabilities = await detectCapabilities(kubeconfig, config);
    const found = capabilities.findings.find((f) => f.name === 'helm-controller');
    expect(found?.present).toBe(true);
    expect(found?.detail).toMatch(/^running: Lease kube-system\/helm-controller-lock held by \S+, renewed \d+ s ago$/);
    expect(capabilities.delivery.fits[0]).toBe('helmChart');
    expect(capabilities.delivery.misfits.helmChartWithController).toBe('a helm-controller already runs: a second one would race it');
  });
});
