// Synthesizes N hubs (one Chart and namespace each) in one App, in process,
// and prints the milliseconds spent building and synthesizing them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { App, Chart } from 'cdk8s';
import { ThinkubeJupyterHub, resolveConfig } from '../lib/index.js';

const count = Number(process.argv[2] ?? '100');
const outdir = mkdtempSync(join(tmpdir(), 'tjh-many-'));
const start = performance.now();
const app = new App({ outdir });
for (let i = 0; i < count; i++) {
  const config = resolveConfig({
    namespace: `hub-${i}`,
    hostname: `hub-${i}.example.com`,
    chart: { releaseName: `hub-${i}`, helmChartNamespace: `hub-${i}` },
  });
  const chart = new Chart(app, `hub-${i}`);
  new ThinkubeJupyterHub(chart, 'thinkube', { config });
}
app.synth();
console.log(JSON.stringify({ count, ms: performance.now() - start }));
rmSync(outdir, { recursive: true, force: true });
