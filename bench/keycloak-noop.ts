/**
 * Keycloak bootstrap benchmark against the real Keycloak and kube-apiserver
 * of the test tiers: after a first run that creates everything, a no-op run
 * must make at most 6 HTTP requests to Keycloak and take under 1.5 s.
 * Baseline in the same run: the least any check can do, one admin login and
 * one GET of the client with plain fetch. Prints request counts, wall times
 * (in-process and through the package bin) and their ratios to the baseline.
 *
 *   npx tsx bench/keycloak-noop.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKube } from '../test/kube/harness.js';
import { startCountingProxy } from '../test/keycloak/counting-proxy.js';
import { keycloakUnavailableReason, startKeycloak } from '../test/keycloak/harness.js';
import { type CliResult, runBin, runInProcess } from '../test/keycloak/run-cli.js';

const ROUNDS = 7;
const MAX_REQUESTS = 6;
const MAX_MS = 1500;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value: number): string => `${value.toFixed(0)} ms`;

const reason = keycloakUnavailableReason();
if (reason !== undefined) {
  console.error(`keycloak bench: tier unavailable: ${reason}`);
  process.exit(1);
}
const [keycloak, kube] = await Promise.all([startKeycloak(), startKube()]);
if (kube === undefined) {
  await keycloak.stop();
  console.error('keycloak bench: the kube tier is unavailable (run test/kube/provision.sh)');
  process.exit(1);
}
const proxy = await startCountingProxy(keycloak.url);
const cwd = await mkdtemp(join(tmpdir(), 'keycloak-bench-'));
let failed = false;
try {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    KEYCLOAK_URL: proxy.url,
    KEYCLOAK_REALM: keycloak.realm,
    ADMIN_USERNAME: keycloak.admin.username,
    ADMIN_PASSWORD: keycloak.admin.password,
    THINKUBE_DOMAIN_NAME: 'example.test',
    KUBECONFIG: kube.kubeconfig,
  };
  // Without a wildcard certificate to copy: this measures Keycloak, not the TLS copy.
  await kube.kubectlOk(['-n', 'default', 'create', 'secret', 'generic', 'example-test-tls', '--from-literal=tls.crt=x', '--from-literal=tls.key=y']);
  const check = (result: CliResult): CliResult => {
    if (result.code !== 0) throw new Error(`bootstrap failed (${result.code}): ${result.stderr}`);
    return result;
  };

  proxy.reset();
  const first = check(await runInProcess(['bootstrap-keycloak'], env, cwd));
  const firstRequests = proxy.requests.length;

  const baseline: number[] = [];
  const noop: number[] = [];
  const requests: number[] = [];
  const writes: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const started = performance.now();
    const token = await fetch(`${proxy.url}/realms/master/protocol/openid-connect/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', client_id: 'admin-cli', username: keycloak.admin.username, password: keycloak.admin.password }),
    });
    const { access_token: accessToken } = await token.json() as { access_token: string };
    await (await fetch(`${proxy.url}/admin/realms/${keycloak.realm}/clients?clientId=jupyterhub`, { headers: { authorization: `Bearer ${accessToken}` } })).json();
    baseline.push(performance.now() - started);

    proxy.reset();
    const run = check(await runInProcess(['bootstrap-keycloak'], env, cwd));
    noop.push(run.ms);
    requests.push(proxy.requests.length);
    writes.push(proxy.writes().length);
  }
  proxy.reset();
  const viaBin = check(await runBin(['bootstrap-keycloak'], env, cwd));
  const binRequests = proxy.requests.length;
  // What an installed package runs: the compiled CLI (bin picks it when the TypeScript sources are absent).
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr}`);
  const compiled: number[] = [];
  for (let round = 0; round < 3; round += 1) {
    compiled.push(check(await runBin(['bootstrap-keycloak'], env, cwd, undefined, fileURLToPath(new URL('../dist-lib/lib/cli/index.js', import.meta.url)))).ms);
  }
  const compiledMedian = median(compiled);

  const base = median(baseline);
  const noopMedian = median(noop);
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`keycloak start (warm distribution, fresh database, realm import): ${keycloak.startSeconds.toFixed(1)} s`);
  console.log(`first run (creates client, namespace, Secret, TLS copy): ${ms(first.ms)}, ${firstRequests} Keycloak requests`);
  console.log(`baseline (one login + one GET, plain fetch), median of ${ROUNDS}: ${ms(base)}`);
  console.log(`no-op run in-process, median of ${ROUNDS}: ${ms(noopMedian)} = ${(noopMedian / base).toFixed(2)}× baseline (all: ${noop.map(ms).join(', ')})`);
  console.log(`no-op run through the bin (node + tsx start-up included): ${ms(viaBin.ms)} = ${(viaBin.ms / base).toFixed(2)}× baseline, ${binRequests} requests`);
  console.log(`no-op run through the compiled CLI of the installed package (node start-up included), median of 3: ${ms(compiledMedian)} = ${(compiledMedian / base).toFixed(2)}× baseline`);
  console.log(`Keycloak requests per no-op run: max ${Math.max(...requests)} (target ≤ ${MAX_REQUESTS}), writes: max ${Math.max(...writes)}`);
  if (Math.max(...requests) > MAX_REQUESTS || Math.max(...writes) > 0 || noopMedian >= MAX_MS || compiledMedian >= MAX_MS) {
    console.log(`MISSED: a no-op run (in-process and as the installed command) must make ≤ ${MAX_REQUESTS} requests, no writes, and take < ${MAX_MS} ms`);
    failed = true;
  }
} finally {
  await proxy.close();
  await Promise.all([keycloak.stop(), kube.stop()]);
  await rm(cwd, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
