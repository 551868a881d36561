// `npm run bench`: every benchmark of the project, one after the other (they
// compete for the same two cores otherwise). Each prints its own ratios against
// a baseline measured in the same run; this exits non-zero if any missed a target.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const tsx = join(repo, 'node_modules', '.bin', 'tsx');

const benches: { name: string; command: string[]; file: string }[] = [
  { name: 'synth', command: [tsx, 'bench/synth.ts'], file: 'bench/synth.ts' },
  { name: 'service discovery', command: [tsx, 'bench/discovery.ts'], file: 'bench/discovery.ts' },
  { name: 'hub profiles', command: ['bash', 'bench/hub-profiles.sh'], file: 'bench/hub-profiles.sh' },
  { name: 'hub start from the chart config', command: ['bash', 'bench/hub-start.sh'], file: 'bench/hub-start.sh' },
  { name: 'keycloak bootstrap no-op', command: [tsx, 'bench/keycloak-noop.ts'], file: 'bench/keycloak-noop.ts' },
  { name: 'node', command: [tsx, 'bench/node.ts'], file: 'bench/node.ts' },
];

const only = process.argv.slice(2);
let failed = 0;
for (const bench of benches) {
  if (only.length > 0 && !only.some((o) => bench.name.includes(o))) continue;
  if (!existsSync(join(repo, bench.file))) continue;
  console.log(`\n=== ${bench.name} ===`);
  const result = spawnSync(bench.command[0], bench.command.slice(1), { cwd: repo, stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.log(`=== ${bench.name}: FAILED or missed a target (exit ${result.status}) ===`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
