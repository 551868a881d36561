import { addJupyterHubChart } from './lib/app/jupyterhub-chart.js';
import { synthesizeAtomically } from './lib/app/synthesize.js';
import { ConfigError, loadConfig } from './lib/index.js';

try {
  const { config, file } = loadConfig();
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  const written = synthesizeAtomically(outdir, (app) => addJupyterHubChart(app, config));
  console.log(`config: ${file ?? 'embedded example (no jupyterhub.config.yaml)'}`);
  for (const { file: name, objects } of written) console.log(`wrote ${outdir}/${name}: ${objects} objects for ${config.hubUrl}`);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 2;
}
