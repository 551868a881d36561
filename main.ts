import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { helmInstallCommand, helmValuesFile } from './lib/app/helm-values.js';
import { addJupyterHub } from './lib/app/jupyterhub-chart.js';
import { synthesizeAtomically } from './lib/app/synthesize.js';
import { ConfigError, type ThinkubeJupyterHub, loadConfig } from './lib/index.js';

try {
  const { config, file } = loadConfig();
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  let hub!: ThinkubeJupyterHub;
  const written = synthesizeAtomically(outdir, (app) => {
    hub = addJupyterHub(app, config).hub;
  });
  console.log(`config: ${file ?? 'embedded example (no jupyterhub.config.yaml)'}`);
  for (const { file: name, objects } of written) console.log(`wrote ${outdir}/${name}: ${objects} objects for ${config.hubUrl}`);
  if (config.delivery === 'helmValues') {
    const valuesFile = helmValuesFile(config, outdir, process.env);
    mkdirSync(dirname(valuesFile), { recursive: true });
    writeFileSync(valuesFile, hub.hub.valuesYaml);
    console.log(`wrote ${valuesFile}: the chart's values (no secrets)`);
    console.log(`install the chart after kubectl apply -f ${outdir}:`);
    console.log(`  ${helmInstallCommand(config, valuesFile)}`);
  }
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 2;
}
