import { App, Chart } from 'cdk8s';
import type { Config } from '../config/index.js';
import { ThinkubeJupyterHub } from '../constructs/thinkube-jupyterhub.js';

/** The id of the app's one chart, hence the file `dist/jupyterhub.k8s.yaml`. */
const CHART_ID = 'jupyterhub';

/**
 * Adds the chart that `npm run synth` writes, the one home of that composition for synth and teardown;
 * also gives the hub (synth reads its values for delivery helmValues).
 */
export function addJupyterHub(app: App, config: Config): { chart: Chart; hub: ThinkubeJupyterHub } {
  const chart = new Chart(app, CHART_ID);
  return { chart, hub: new ThinkubeJupyterHub(chart, 'thinkube', { config }) };
}

/** The objects synth would write for `config`, built in memory (no files). */
export function synthesizedObjects(config: Config): Record<string, unknown>[] {
  return addJupyterHub(new App(), config).chart.toJson() as Record<string, unknown>[];
}
