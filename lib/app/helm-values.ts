import { dirname, join } from 'node:path';
import type { Config } from '../config/index.js';

/** Where synth writes the values file with delivery helmValues; default `values/` beside the output folder. */
export const VALUES_DIR_VARIABLE = 'THINKUBE_JH_VALUES_DIR';

/** The values file of `config`'s release: outside `outdir`, so that `kubectl apply -f dist` never reads it. */
export function helmValuesFile(config: Config, outdir: string, env: NodeJS.ProcessEnv): string {
  const folder = env[VALUES_DIR_VARIABLE] || join(dirname(outdir), 'values');
  return join(folder, `${config.chart.releaseName}.values.yaml`);
}

const quoted = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`);

/** The helm command that installs or upgrades the release with `valuesFile`, as a shell line. */
export function helmInstallCommand(config: Config, valuesFile: string): string {
  const { chart, namespace } = config;
  return ['helm', 'upgrade', '--install', chart.releaseName, chart.name, '--repo', chart.repo, '--version', chart.version, '-n', namespace, '-f', valuesFile]
    .map(quoted).join(' ');
}
