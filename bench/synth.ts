// Issue 2's speed targets, measured as ratios within one run:
//  - `npm run synth` of the example vs. a minimal cdk8s app run the same way (median wall time ≤ 1.3×)
//  - peak memory of the example synth (< 250 MB)
//  - 100 hubs in one App (< 3 s), and cost per hub at 10/50/100 hubs (linear)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const tsx = join(repo, 'node_modules', '.bin', 'tsx');
const runs = Number(process.env.BENCH_RUNS ?? '7');

function timed(script: string, args: string[] = []): { seconds: number; maxRssMb: number; stdout: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'tjh-bench-'));
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', tsx, join(repo, script), ...args], {
    cwd: outdir, env: { ...process.env, CDK8S_OUTDIR: join(outdir, 'dist') }, encoding: 'utf8',
  });
  rmSync(outdir, { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`${script} failed: ${result.stderr}`);
  const [seconds, rssKb] = result.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { seconds, maxRssMb: rssKb / 1024, stdout: result.stdout };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

timed('bench/minimal-app.ts');
timed('main.ts');
const baseline: number[] = [];
const example: number[] = [];
const rss: number[] = [];
for (let i = 0; i < runs; i++) {
  baseline.push(timed('bench/minimal-app.ts').seconds);
  const run = timed('main.ts');
  example.push(run.seconds);
  rss.push(run.maxRssMb);
}
const ratio = median(example) / median(baseline);
console.log(`synth wall time (median of ${runs}): example ${median(example).toFixed(2)} s, minimal app ${median(baseline).toFixed(2)} s, ratio ${ratio.toFixed(2)}x (target <= 1.3x)`);
console.log(`synth peak memory: max ${Math.max(...rss).toFixed(0)} MB (target < 250 MB)`);

const scale = [10, 50, 100].map((count) => JSON.parse(timed('bench/many-hubs.ts', [String(count)]).stdout) as { count: number; ms: number });
for (const { count, ms } of scale) console.log(`${count} hubs in one App: ${ms.toFixed(0)} ms (${(ms / count).toFixed(1)} ms per hub)`);
const hundred = scale[scale.length - 1].ms;
const perHub = scale.map(({ count, ms }) => ms / count);
console.log(`100 hubs: ${(hundred / 1000).toFixed(2)} s (target < 3 s); per-hub cost at 100 vs 10 hubs: ${(perHub[2] / perHub[0]).toFixed(2)}x (linear ≈ 1)`);

const ok = ratio <= 1.3 && Math.max(...rss) < 250 && hundred < 3000;
console.log(ok ? 'synth bench: all targets met' : 'synth bench: TARGET MISSED');
process.exitCode = ok ? 0 : 1;
