import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { App } from 'cdk8s';

/**
 * Builds the app into a staging folder beside `outdir` and swaps it in only
 * when synthesis succeeded, so a failure leaves the previous output as it was.
 */
export function synthesizeAtomically(outdir: string, build: (app: App) => void): void {
  const target = resolve(outdir);
  const staging = mkdtempSync(join(dirname(target), `.${basename(target)}-staging-`));
  try {
    const app = new App({ outdir: staging });
    build(app);
    app.synth();
    const previous = `${staging}-previous`;
    let hadPrevious = true;
    try {
      renameSync(target, previous);
    } catch {
      hadPrevious = false;
    }
    renameSync(staging, target);
    if (hadPrevious) rmSync(previous, { recursive: true, force: true });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
