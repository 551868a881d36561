import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { VALUES_DIR_VARIABLE, helmInstallCommand, helmValuesFile } from '../../lib/app/helm-values.js';
import { DELIVERIES, type Delivery, resolveConfig, valuesYaml } from '../../lib/index.js';
import { REPO, runSynth } from '../support/run-synth.js';
import type { Manifest } from '../support/synth.js';
import { tempDir } from '../support/temp-dir.js';

const canonical = (values: unknown) => stringify(values, { version: '1.1', lineWidth: 0, sortMapEntries: true });

const SECRET = 'client-secret-sentinel-5e1d';

/** What `npm run synth` writes for `delivery`: the manifests (read as kubectl reads them, YAML 1.1) and the run. */
function synthesize(delivery: Delivery, env: NodeJS.ProcessEnv = {}) {
  const run = runSynth({ config: { delivery, branding: { announcement: 'yes' } }, env: { OAUTH_CLIENT_SECRET: SECRET, ...env } });
  expect(run.status, run.stderr).toBe(0);
  const manifests = Object.values(run.files).flatMap((text) => parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS() as Manifest & { spec?: any }));
  return { run, manifests };
}

describe('the four deliveries', () => {
  const runs = Object.fromEntries(DELIVERIES.map((delivery) => [delivery, synthesize(delivery)])) as Record<Delivery, ReturnType<typeof synthesize>>;
  const valuesFile = join(dirname(runs.helmValues.run.outdir), 'values', 'jupyterhub.values.yaml');

  it('carry byte-identical values: HelmChart valuesContent, HelmRelease spec.values, the helm values file', () => {
    const helmChart = runs.helmChart.manifests.find((m) => m.kind === 'HelmChart')!.spec.valuesContent as string;
    const withController = runs.helmChartWithController.manifests.find((m) => m.kind === 'HelmChart')!.spec.valuesContent;
    const fluxValues = runs.fluxHelmRelease.manifests.find((m) => m.kind === 'HelmRelease')!.spec.values;
    const file = readFileSync(valuesFile, 'utf8');
    // A string YAML 1.2 would leave bare and helm (YAML 1.1) would read as a boolean.
    expect(helmChart).toContain('announcement: "yes"');
    expect(withController).toBe(helmChart);
    expect(file).toBe(helmChart);
    // The HelmRelease carries the values as YAML inside the manifest, where cdk8s sorts the keys: the same
    // document, byte for byte once both are written in one key order.
    expect(fluxValues).toEqual(parse(helmChart, { version: '1.1' }));
    expect(canonical(fluxValues)).toBe(canonical(parse(helmChart, { version: '1.1' })));
    expect(valuesYaml(parse(helmChart, { version: '1.1' }))).toBe(helmChart);
  });

  it('differ only in the chart objects: every other manifest is the same', () => {
    const rest = (d: Delivery) => runs[d].manifests.filter((m) => !['HelmChart', 'HelmRelease', 'HelmRepository'].includes(m.kind) && !runs.helmChartWithController.manifests.some((c) => c.kind === m.kind && c.metadata.name === m.metadata.name && m.metadata.name.startsWith('helm')));
    for (const delivery of DELIVERIES) expect(rest(delivery), delivery).toEqual(rest('helmChart'));
    expect(runs.helmChart.manifests.map((m) => m.kind)).not.toContain('Deployment');
    expect(runs.helmChartWithController.manifests.filter((m) => m.kind === 'Deployment').map((m) => m.metadata.name)).toEqual(['helm-controller']);
  });

  it('helmValues: dist/ holds only Kubernetes manifests, the values file sits beside it and synth prints the helm command', () => {
    const { run, manifests } = runs.helmValues;
    expect(manifests.filter((m) => /cattle\.io|fluxcd\.io/.test(m.apiVersion))).toEqual([]);
    expect(readdirSync(run.outdir)).toEqual(['jupyterhub.k8s.yaml']);
    expect(existsSync(valuesFile)).toBe(true);
    expect(run.stdout).toContain(`wrote ${valuesFile}: the chart's values (no secrets)`);
    expect(run.stdout).toContain(`  helm upgrade --install jupyterhub jupyterhub --repo https://hub.jupyter.org/helm-chart/ --version 4.4.0 -n jupyterhub -f ${valuesFile}\n`);
    const values = readFileSync(valuesFile, 'utf8');
    expect(values).not.toContain(SECRET);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
    expect(values).not.toMatch(/client_secret:\s*["']?[^\s"'{]/);
    expect(values).not.toMatch(/(cookie_secret|api_token|password):\s*\S/);
  });

  it('helmValues: THINKUBE_JH_VALUES_DIR moves the values file, quoted in the command when it must be', () => {
    const folder = join(tempDir('tjh-values'), 'my values');
    const { run } = synthesize('helmValues', { [VALUES_DIR_VARIABLE]: folder });
    const file = join(folder, 'jupyterhub.values.yaml');
    expect(existsSync(file)).toBe(true);
    expect(run.stdout).toContain(`-f '${file}'`);
  });

  it('the README shows the command synth prints for the example config and the default dist/', () => {
    const config = resolveConfig({ delivery: 'helmValues' });
    expect(readFileSync(join(REPO, 'README.md'), 'utf8')).toContain(`\n${helmInstallCommand(config, helmValuesFile(config, 'dist', {}))}\n`);
  });
});
