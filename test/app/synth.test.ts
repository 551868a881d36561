import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { embeddableFiles, markEmbeddedFiles, restoreEmbeddedFiles } from '../support/embedded-files.js';
import { runSynth } from '../support/run-synth.js';
import { tempDir } from '../support/temp-dir.js';

const kinds = (yaml: string) => parseAllDocuments(yaml).map((d) => {
  const m = d.toJS();
  return `${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`;
});

describe('npm run synth', () => {
  it('synthesizes the embedded example into one manifest file', async () => {
    const run = runSynth();
    expect(run.status, run.stderr).toBe(0);
    expect(Object.keys(run.files)).toEqual(['jupyterhub.k8s.yaml']);
    expect(run.stdout).toContain('config: embedded example (no jupyterhub.config.yaml)');
    expect(run.stdout).toContain('/jupyterhub.k8s.yaml: 11 objects for https://jupyter.example.com');
    // Each embedded file that went in unchanged is one marker line (test/support/embedded-files.ts); the marked snapshot still stands for the whole output.
    const marked = markEmbeddedFiles(run.files['jupyterhub.k8s.yaml']);
    await expect(marked).toMatchFileSnapshot('__snapshots__/example.k8s.yaml');
    expect(restoreEmbeddedFiles(marked)).toBe(run.files['jupyterhub.k8s.yaml']);
    for (const file of embeddableFiles()) expect(marked, `${file.path} is embedded as it is or in its derived form`).toContain(`<<${file.path}`);
    expect(kinds(run.files['jupyterhub.k8s.yaml'])).toEqual([
      'Namespace//jupyterhub',
      'PersistentVolumeClaim/jupyterhub/jupyterhub-notebooks-pvc',
      'PersistentVolumeClaim/jupyterhub/jupyterhub-datasets-pvc',
      'PersistentVolumeClaim/jupyterhub/jupyterhub-models-pvc',
      'ServiceAccount/jupyterhub/jupyter-service-discovery',
      'ClusterRole//jupyter-configmap-reader',
      'ClusterRoleBinding//jupyter-service-discovery-binding',
      'ConfigMap/jupyterhub/jupyter-service-discovery-script',
      'ConfigMap/jupyterhub/thinkube-service-config',
      'HelmChart/kube-system/jupyterhub',
      'Ingress/jupyterhub/jupyterhub',
    ]);
  });

  it('synthesizes a non-default config: another domain, two admins, no GPU, other sizes', async () => {
    const run = runSynth({
      config: {
        domainName: 'ml.example.org',
        namespace: 'lab',
        adminUsers: ['ana', 'bo'],
        resources: { gpuLimit: 0, cpuLimit: 8, memoryLimitGi: 32 },
        storage: { notebooksCapacity: '10Gi', datasetsCapacity: '2Ti', modelsCapacity: '750Gi' },
        discovery: { secretAllowList: [{ namespace: 'mlflow', name: 'mlflow-credentials' }] },
      },
    });
    expect(run.status, run.stderr).toBe(0);
    const yaml = run.files['jupyterhub.k8s.yaml'];
    await expect(markEmbeddedFiles(yaml)).toMatchFileSnapshot('__snapshots__/custom.k8s.yaml');
    expect(yaml).toContain('host: jupyter.ml.example.org');
    expect(yaml).toContain('storage: 2Ti');
    expect(kinds(yaml)).toContain('Role/mlflow/jupyter-service-discovery-secrets-lab');
  });

  it('reports every config problem, exits 2 and leaves the previous output as it was', () => {
    const work = tempDir('tjh-keep');
    const outdir = join(work, 'dist');
    mkdirSync(outdir);
    writeFileSync(join(outdir, 'jupyterhub.k8s.yaml'), 'previous\n');
    const run = runSynth({ outdir, config: { hostname: 'Bad_Host', storage: { modelsCapacity: 'huge' }, resources: { cpuLimit: -1 } } });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('(3 problems)');
    expect(run.stderr).toContain('- hostname: "Bad_Host" is not a DNS name: use lowercase letters, digits, \'-\' and \'.\'');
    expect(run.stderr).toContain('- storage.modelsCapacity: "huge" is not a Kubernetes quantity');
    expect(run.stderr).toContain('- resources.cpuLimit: -1 must be greater than 0');
    expect(readdirSync(work)).toEqual(['dist']);
    expect(readFileSync(join(outdir, 'jupyterhub.k8s.yaml'), 'utf8')).toBe('previous\n');
  });

  it('replaces the previous output on success', () => {
    const work = tempDir('tjh-replace');
    const outdir = join(work, 'dist');
    mkdirSync(outdir);
    writeFileSync(join(outdir, 'stale.k8s.yaml'), 'stale\n');
    const run = runSynth({ outdir });
    expect(run.status, run.stderr).toBe(0);
    expect(Object.keys(run.files)).toEqual(['jupyterhub.k8s.yaml']);
    expect(readdirSync(work)).toEqual(['dist']);
  });
});
