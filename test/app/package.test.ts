import { spawnSync } from 'node:child_process';
import { readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/run-synth.js';
import { tempDir } from '../support/temp-dir.js';

describe('the packed npm package', () => {
  it('ships the compiled library with its hub Python, discovery script, branding and the vendored CRDs', () => {
    const work = tempDir('tjh-pack');
    const pack = spawnSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: REPO, encoding: 'utf8' });
    expect(pack.status, pack.stderr).toBe(0);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
    expect(spawnSync('tar', ['-xzf', tarball], { cwd: work }).status).toBe(0);
    const pkg = join(work, 'package');
    symlinkSync(join(REPO, 'node_modules'), join(pkg, 'node_modules'));
    writeFileSync(join(work, 'use.mjs'), [
      "import { Chart, Testing } from 'cdk8s';",
      "import { parse } from 'yaml';",
      "import { ThinkubeJupyterHub, resolveConfig } from './package/dist-lib/lib/index.js';",
      'const chart = new Chart(Testing.app(), "c");',
      'new ThinkubeJupyterHub(chart, "hub");',
      'const objects = Testing.synth(chart);',
      'const values = parse(objects.find((o) => o.kind === "HelmChart").spec.valuesContent);',
      'const script = objects.find((o) => o.metadata.name === "jupyter-service-discovery-script").data;',
      'const withController = new Chart(Testing.app(), "w");',
      'new ThinkubeJupyterHub(withController, "hub", { config: resolveConfig({ delivery: "helmChartWithController" }) });',
      'const crds = Testing.synth(withController).filter((o) => o.kind === "CustomResourceDefinition").map((o) => o.metadata.name);',
      'console.log(JSON.stringify({ python: Object.keys(values.hub.extraConfig), script: Object.keys(script), logo: values.hub.extraFiles["thinkube-logo"].stringData.includes("<svg"), crds }));',
    ].join('\n'));
    symlinkSync(join(REPO, 'node_modules'), join(work, 'node_modules'));
    const use = spawnSync('node', ['use.mjs'], { cwd: work, encoding: 'utf8' });
    expect(use.status, use.stderr).toBe(0);
    const shipped = JSON.parse(use.stdout);
    const hubFiles = readdirSync(join(REPO, 'lib', 'hub')).filter((f) => f.endsWith('.py')).sort();
    expect(shipped).toEqual({ python: hubFiles, script: ['service-discovery-init.sh'], logo: true, crds: ['helmcharts.helm.cattle.io', 'helmchartconfigs.helm.cattle.io'] });
  }, 120_000);
});
