import { mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ApiObject, App } from 'cdk8s';

/**
 * Builds the app into a staging folder beside `outdir` and swaps it in only
 * when synthesis succeeded, so a failure leaves the previous output as it was.
 * Returns the names of the files written, each with its number of objects.
 */
export function synthesizeAtomically(outdir: string, build: (app: App) => void): { file: string; objects: number }[] {
  const target = resolve(outdir);
  const staging = mkdtempSync(join(dirname(target), `.${basename(target)}-staging-`));
  try {
    const app = new App({ outdir: staging });
    build(app);
    app.synth();
    const written = app.charts.map((chart) => ({
      file: `${chart.node.id}.k8s.yaml`,
      objects: chart.node.findAll().filter((c) => c instanceof ApiObject).length,
    }))
      .filter(({ file }) => readdirSync(staging).includes(file));
    const previous = `${staging}-previous`;
    let hadPrevious = true;
    try {
      renameSync(target, previous);
    } catch {
      hadPrevious = false;
    }
    renameSync(staging, target);
    if (hadPrevious) rmSync(previous, { recursive: true, force: true });
    return written;
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
