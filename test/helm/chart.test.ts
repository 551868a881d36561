/**
 * Every values document the tests synthesize, taken by its consumer: helm and
 * the Z2JH chart of the version the config targets. `helm lint --strict` and
 * `helm template` (which enforces the chart's values.schema.json, as install
 * does) must both pass.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { type Config, DiscoveryRbacConstruct, HubHelmConstruct, StorageConstruct } from '../../lib/index.js';
import { customConfig, exampleConfig, groupsConfig } from '../support/configs.js';
import { restoreEmbeddedFiles } from '../support/embedded-files.js';
import { chartArchive, helm, helmTemplate, helmUnavailableReason, withValuesFile } from '../support/helm.js';
import { type Manifest, synthChart, valuesOf } from '../support/synth.js';
import { tierUnavailable } from '../support/tier.js';

type ValuesDocument = { values: Record<string, any>; version: string; namespace: string };

function fromConfig(config: Config): ValuesDocument {
  const values = valuesOf(synthChart((chart) => {
    const storage = new StorageConstruct(chart, 'storage', { config });
    const discovery = new DiscoveryRbacConstruct(chart, 'discovery', { config });
    new HubHelmConstruct(chart, 'hub', { config, storage, discovery });
  }));
  return { values, version: config.chart.version, namespace: config.namespace };
}

/** The HelmChart of a committed app snapshot (kept current by test/app/synth.test.ts), its embedded files restored. */
function fromSnapshot(file: string): ValuesDocument {
  const snapshot = restoreEmbeddedFiles(readFileSync(new URL(`../app/__snapshots__/${file}`, import.meta.url), 'utf8'));
  const manifests = parseAllDocuments(snapshot).map((d) => d.toJS());
  const chart = manifests.find((m) => m.kind === 'HelmChart');
  return { values: valuesOf(manifests), version: chart.spec.version, namespace: chart.spec.targetNamespace };
}

const documents: [string, () => ValuesDocument][] = [
  ['example config', () => fromConfig(exampleConfig)],
  ['custom config (chart 4.2.0)', () => fromConfig(customConfig)],
  ['groups config', () => fromConfig(groupsConfig)],
  ['snapshot example.k8s.yaml', () => fromSnapshot('example.k8s.yaml')],
  ['snapshot custom.k8s.yaml', () => fromSnapshot('custom.k8s.yaml')],
];

describe.skipIf(tierUnavailable('helm', helmUnavailableReason()))('the Z2JH chart takes our values', () => {
  describe.each(documents)('%s', (_name, load) => {
    it('passes helm lint --strict', () => {
      const { values, version, namespace } = load();
      const result = withValuesFile(values, (file) => helm(['lint', '--strict', chartArchive(version), '--namespace', namespace, '-f', file]));
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    });

    it('renders with helm template, schema enforced, into the hub Deployment with our values', () => {
      const { values, version, namespace } = load();
      const objects: Manifest[] = helmTemplate(values, version, { namespace });
      const hub = objects.find((m) => m.kind === 'Deployment' && m.metadata.name === 'hub') as any;
      expect(hub, objects.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')).toBeDefined();
      const secret = objects.find((m) => m.kind === 'Secret' && m.metadata.name === 'hub') as any;
      const rendered = Buffer.from(secret.data['values.yaml'], 'base64').toString();
      expect(rendered).toContain(values.hub.extraConfig[Object.keys(values.hub.extraConfig)[0]].split('\n')[0]);
      // Strings stay strings through helm (YAML 1.1): KubeSpawner fails every spawn on a boolean env value.
      expect(parseAllDocuments(rendered)[0].toJS().singleuser.extraEnv.JUPYTER_ENABLE_LAB).toBe('yes');
    });
  });

  it('fails on a misspelt key, as helm install would', () => {
    const { values } = fromConfig({ ...exampleConfig, extraValues: { singleuser: { cpuu: { limit: 2 } } } });
    expect(() => helmTemplate(values, '4.4.0')).toThrow(/values don't meet the specifications of the schema[\s\S]*singleuser[\s\S]*cpuu/);
    const lint = withValuesFile(values, (file) => helm(['lint', '--strict', chartArchive('4.4.0'), '-f', file]));
    expect(lint.status).not.toBe(0);
  });

  it('fails on a value of the wrong type', () => {
    const { values } = fromConfig({ ...exampleConfig, extraValues: { hub: { consecutiveFailureLimit: 'five' } } });
    expect(() => helmTemplate(values, '4.4.0')).toThrow(/consecutiveFailureLimit/);
  });
});
