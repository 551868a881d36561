import { Chart } from 'cdk8s';
import { synthesizeAtomically } from './lib/app/synthesize.js';
import { ConfigError, ThinkubeJupyterHub, loadConfig } from './lib/index.js';

try {
  const { config } = loadConfig();
  synthesizeAtomically(process.env.CDK8S_OUTDIR ?? 'dist', (app) => {
    const chart = new Chart(app, 'jupyterhub');
    new ThinkubeJupyterHub(chart, 'thinkube', { config });
  });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 2;
}
