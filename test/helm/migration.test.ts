/**
 * Migration from the Ansible install, with the real helm and chart against the
 * real kube-apiserver: the playbook installed release `jupyterhub` (chart
 * 4.2.0, its own values) beside its claims; `kubectl apply -f dist` then makes
 * the helm-controller run, for a release that is `deployed`, `helm upgrade
 * <HelmChart name> <chart> --values <valuesContent>` (k3s-io/klipper-helm's
 * entry script). The hub database claim must come through that upgrade, and
 * through the uninstall teardown triggers, as the same object.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { kubeUnavailableReason } from '../kube/harness.js';
import { useKube } from '../kube/use-kube.js';
import { chartArchive, helm, helmUnavailableReason, withValuesFile } from '../support/helm.js';
import { runSynth } from '../support/run-synth.js';
import type { Manifest } from '../support/synth.js';
import { tierUnavailable } from '../support/tier.js';

const unavailable = tierUnavailable('helm', helmUnavailableReason()) || tierUnavailable('kube', kubeUnavailableReason());
const PLAYBOOK_VALUES = parse(readFileSync(fileURLToPath(new URL('fixtures/playbook-values.yaml', import.meta.url)), 'utf8'));
/** The chart version the playbook pinned (11_deploy.yaml: jupyterhub_version). */
const PLAYBOOK_CHART = '4.2.0';
const PLAYBOOK_CLAIMS: [string, string][] = [['jupyterhub-notebooks-pvc', '100Gi'], ['jupyterhub-datasets-pvc', '500Gi'], ['jupyterhub-models-pvc', '200Gi']];

describe.skipIf(unavailable)('our delivery upgrades the playbook\'s release in place', () => {
  const kube = useKube();

  it('keeps the hub database claim through the upgrade, an uninstall and a reinstall', async () => {
    const k = kube();
    const env = { KUBECONFIG: k.kubeconfig };
    const uid = async (kind: string, name: string) => k.kubectlOk(['get', kind, '-n', 'jupyterhub', name, '-o', 'jsonpath={.metadata.uid}']);

    // The playbook's cluster: namespace, claims, over-broad discovery RBAC, release, Ingress.
    await k.kubectlOk(['create', 'namespace', 'jupyterhub']);
    for (const [name, size] of PLAYBOOK_CLAIMS) {
      await k.kubectlOk(['create', '-f', '-'], {
        input: stringify({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'jupyterhub' }, spec: { accessModes: ['ReadWriteMany'], storageClassName: 'juicefs-rwx', resources: { requests: { storage: size } } } }),
      });
    }
    await k.kubectlOk(['create', 'serviceaccount', '-n', 'jupyterhub', 'jupyter-service-discovery']);
    await k.kubectlOk(['create', 'clusterrole', 'jupyter-configmap-reader', '--verb=get,list', '--resource=configmaps,secrets']);
    await k.kubectlOk(['create', 'clusterrolebinding', 'jupyter-service-discovery-binding', '--clusterrole=jupyter-configmap-reader', '--serviceaccount=jupyterhub:jupyter-service-discovery']);
    const installed = withValuesFile(PLAYBOOK_VALUES, (file) => helm(['upgrade', '--install', 'jupyterhub', chartArchive(PLAYBOOK_CHART), '-n', 'jupyterhub', '-f', file], env));
    expect(installed.status, installed.stderr).toBe(0);
    const hubDb = await uid('pvc', 'hub-db-dir');
    const claims = await Promise.all(PLAYBOOK_CLAIMS.map(([name]) => uid('pvc', name)));

    // Our delivery: kubectl apply -f dist, then what the helm-controller runs for the HelmChart.
    const run = runSynth({ config: {} });
    expect(run.status, run.stderr).toBe(0);
    const manifests = Object.values(run.files).flatMap((text) => parseAllDocuments(text).map((d) => d.toJS() as Manifest));
    const chart = manifests.find((m) => m.kind === 'HelmChart') as Manifest & { spec: { version: string; targetNamespace: string; valuesContent: string } };
    expect([chart.metadata.name, chart.spec.targetNamespace]).toEqual(['jupyterhub', 'jupyterhub']);
    await k.kubectlOk(['apply', '-f', run.outdir]);
    const status = JSON.parse(helm(['status', chart.metadata.name, '-n', chart.spec.targetNamespace, '-o', 'json'], env).stdout);
    expect(status.info.status).toBe('deployed');
    const helmController = () => withValuesFile(parse(chart.spec.valuesContent), (file) => helm(
      ['upgrade', '--install', chart.metadata.name, chartArchive(chart.spec.version), '-n', chart.spec.targetNamespace, '--values', file], env,
    ));
    const upgraded = helmController();
    expect(upgraded.status, upgraded.stderr).toBe(0);

    const history = JSON.parse(helm(['history', 'jupyterhub', '-n', 'jupyterhub', '-o', 'json'], env).stdout);
    expect(history.map((r: { revision: number; status: string; chart: string }) => `${r.revision}:${r.status}:${r.chart}`))
      .toEqual([`1:superseded:jupyterhub-${PLAYBOOK_CHART}`, `2:deployed:jupyterhub-${chart.spec.version}`]);
    expect(await uid('pvc', 'hub-db-dir')).toBe(hubDb);
    expect(await Promise.all(PLAYBOOK_CLAIMS.map(([name]) => uid('pvc', name)))).toEqual(claims);
    // The playbook's cluster-wide Secret read is gone with our ClusterRole of the same name.
    expect((await k.kubectl(['auth', 'can-i', 'get', 'secrets', '-n', 'kube-system', '--as=system:serviceaccount:jupyterhub:jupyter-service-discovery'])).stdout.trim()).toBe('no');

    // Deleting the HelmChart makes the helm-controller run helm uninstall: the database claim stays.
    const uninstalled = helm(['uninstall', 'jupyterhub', '-n', 'jupyterhub', '--wait'], env);
    expect(uninstalled.status, uninstalled.stderr).toBe(0);
    expect(uninstalled.stdout).toContain('These resources were kept due to the resource policy:\n[PersistentVolumeClaim] hub-db-dir');
    expect(await uid('pvc', 'hub-db-dir')).toBe(hubDb);
    expect((await k.kubectl(['get', 'deployment', '-n', 'jupyterhub', 'hub'])).code).not.toBe(0);

    // Applying again installs the release anew, which adopts the kept claim.
    const reinstalled = helmController();
    expect(reinstalled.status, reinstalled.stderr).toBe(0);
    expect(await uid('pvc', 'hub-db-dir')).toBe(hubDb);
  }, 300_000);
});
