/**
 * What the helm-controller does with our HelmChart, done by the real helm
 * against the real kube-apiserver: `helm upgrade --install` of the HelmChart's
 * values next to `kubectl apply -f dist` (our objects minus the HelmChart),
 * then an upgrade with changed values and a rollback. There is no kubelet or
 * scheduler: the chart's pods are created and stay Pending.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { kubeUnavailableReason } from '../kube/harness.js';
import { useKube } from '../kube/use-kube.js';
import { chartArchive, helm, helmTemplate, helmUnavailableReason, withValuesFile } from '../support/helm.js';
import { runSynth } from '../support/run-synth.js';
import { type Manifest, find, valuesOf } from '../support/synth.js';
import { tierUnavailable } from '../support/tier.js';

const unavailable = tierUnavailable('helm', helmUnavailableReason()) || tierUnavailable('kube', kubeUnavailableReason());

function synthesized(config: Record<string, unknown>) {
  const run = runSynth({ config });
  if (run.status !== 0) throw new Error(`synth failed: ${run.stderr}`);
  const manifests = Object.values(run.files).flatMap((text) => parseAllDocuments(text).map((d) => d.toJS() as Manifest));
  const chart = find(manifests, 'HelmChart') as Manifest & { spec: { version: string; targetNamespace: string; chart: string } };
  return { ours: manifests.filter((m) => m.kind !== 'HelmChart'), values: valuesOf(manifests), chart };
}

const key = (m: Manifest) => `${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`;

describe.skipIf(unavailable)('helm installs the HelmChart values into a real kube-apiserver', () => {
  const kube = useKube();

  it('install beside kubectl apply -f dist, upgrade with changed values, rollback', async () => {
    const k = kube();
    const env = { KUBECONFIG: k.kubeconfig };
    const { ours, values, chart } = synthesized({ networkPolicy: { enabled: true } });
    const namespace = chart.spec.targetNamespace;
    const release = chart.metadata.name;
    const archive = chartArchive(chart.spec.version);

    // Our objects first (the Namespace is ours), then the chart into the same namespace.
    await k.kubectlOk(['apply', '-f', '-'], { input: ours.map((m) => stringify(m)).join('---\n') });
    const install = withValuesFile(values, (file) => helm(['upgrade', '--install', release, archive, '-n', namespace, '-f', file], env));
    expect(install.status, install.stderr).toBe(0);

    // Every object of the chart exists, as helm rendered it.
    const chartObjects = helmTemplate(values, chart.spec.version, { release, namespace });
    expect(chartObjects.length).toBeGreaterThan(15);
    for (const object of chartObjects) {
      const ns = object.metadata.namespace ?? (object.kind.startsWith('Cluster') || object.kind === 'PriorityClass' ? undefined : namespace);
      const got = await k.kubectl(['get', object.kind, object.metadata.name, ...(ns ? ['-n', ns] : []), '-o', 'name']);
      expect(got.code, `${key(object)}: ${got.stderr}`).toBe(0);
    }

    // No collisions: helm refuses to adopt an object it did not create, and the
    // names of every kind (ServiceAccounts and NetworkPolicies among them) are disjoint.
    const chartKeys = new Set(chartObjects.map((m) => `${m.kind}/${m.metadata.name}`));
    expect(ours.map((m) => `${m.kind}/${m.metadata.name}`).filter((name) => chartKeys.has(name))).toEqual([]);
    const serviceAccounts = JSON.parse(await k.kubectlOk(['get', 'serviceaccounts', '-n', namespace, '-o', 'json'])).items
      .map((sa: Manifest & { metadata: { labels?: Record<string, string> } }) => [sa.metadata.name, sa.metadata.labels?.['app.kubernetes.io/managed-by'] ?? 'ours']);
    expect(Object.fromEntries(serviceAccounts)).toMatchObject({ hub: 'Helm', 'jupyter-service-discovery': expect.not.stringMatching(/^Helm$/) });
    const policies = chartObjects.filter((m) => m.kind === 'NetworkPolicy').map((m) => m.metadata.name).sort();
    expect(policies).toEqual(['hub', 'proxy', 'singleuser']);
    // Our objects re-applied after the install leave the chart's alone.
    const reapply = await k.kubectlOk(['apply', '-f', '-'], { input: ours.map((m) => stringify(m)).join('---\n') });
    expect(reapply).not.toMatch(/created/);

    // The hub pod exists and waits for a node.
    let phases = '';
    for (let i = 0; i < 60 && !phases.includes('hub-'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      phases = await k.kubectlOk(['get', 'pods', '-n', namespace, '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.phase}{"\\n"}{end}']);
    }
    expect(phases).toMatch(/^hub-[a-z0-9-]+=Pending$/m);

    // Upgrade with changed values, then roll back to the first revision.
    const secretValues = async () => Buffer.from(await k.kubectlOk(['get', 'secret', 'hub', '-n', namespace, '-o', 'jsonpath={.data.values\\.yaml}']), 'base64').toString();
    const changed = { ...values, cull: { ...values.cull, timeout: 1234 } };
    const upgrade = withValuesFile(changed, (file) => helm(['upgrade', release, archive, '-n', namespace, '-f', file], env));
    expect(upgrade.status, upgrade.stderr).toBe(0);
    expect(await secretValues()).toMatch(/^ {2}timeout: 1234$/m);
    const rollback = helm(['rollback', release, '1', '-n', namespace], env);
    expect(rollback.status, rollback.stderr).toBe(0);
    expect(await secretValues()).not.toMatch(/timeout: 1234/);
    const history = helm(['history', release, '-n', namespace, '-o', 'json'], env);
    expect(JSON.parse(history.stdout).map((r: { revision: number; status: string }) => `${r.revision}:${r.status}`))
      .toEqual(['1:superseded', '2:superseded', '3:deployed']);
  }, 300_000);

  it('refuses an object of the same name that it did not create, so the coexistence check above can fail', async () => {
    const k = kube();
    const { values, chart } = synthesized({});
    await k.kubectlOk(['create', 'namespace', 'collide']);
    await k.kubectlOk(['-n', 'collide', 'create', 'serviceaccount', 'hub']);
    const install = withValuesFile(values, (file) => helm(['install', 'other', chartArchive(chart.spec.version), '-n', 'collide', '-f', file], { KUBECONFIG: k.kubeconfig }));
    expect(install.status).not.toBe(0);
    expect(install.stderr).toMatch(/ServiceAccount "hub" in namespace "collide" exists and cannot be imported/);
  }, 120_000);
});
