import { App, Chart, Testing } from 'cdk8s';
import type { Construct } from 'constructs';
import { parse } from 'yaml';

export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [key: string]: unknown };

/** Synthesizes whatever `build` adds to a fresh chart and returns the manifests. */
export function synthChart(build: (chart: Construct) => void): Manifest[] {
  const app: App = Testing.app();
  const chart = new Chart(app, 'test');
  build(chart);
  return Testing.synth(chart) as Manifest[];
}

/** The manifest of `kind` (and `name`, when several), failing loudly when absent. */
export function find(manifests: readonly Manifest[], kind: string, name?: string): Manifest {
  const found = manifests.find((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (!found) throw new Error(`no ${kind}${name ? ` ${name}` : ''} among ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  return found;
}

/** The Z2JH values carried by the HelmChart among `manifests`. */
export function valuesOf(manifests: readonly Manifest[]): Record<string, any> {
  const chart = find(manifests, 'HelmChart') as Manifest & { spec: { valuesContent: string } };
  return parse(chart.spec.valuesContent, { version: '1.1' });
}
