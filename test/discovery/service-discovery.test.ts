import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useKube } from '../kube/use-kube.js';
import { tierUnavailable } from '../support/tier.js';
import { type DiscoveryFixture, discoveryFixture } from './fixtures/services.js';
import {
  asList,
  discoveryNamespace,
  discoveryRbac,
  discoveryServiceAccount,
  namespace,
} from './manifests.js';
import {
  type DiscoveryRun,
  type DiscoveryRunOptions,
  discoveryUnavailableReason,
  runDiscovery,
  sourceEnvFile,
} from './run-discovery.js';

const execFileAsync = promisify(execFile);

describe.skipIf(tierUnavailable('kube', discoveryUnavailableReason()))('service discovery init script', () => {
  const kube = useKube();
  let workDir: string;
  let canary: string;
  let fixture: DiscoveryFixture;
  let kubeconfig: string;
  let run: DiscoveryRun;

  const discover = (dir: string, options: Partial<Omit<DiscoveryRunOptions, 'workDir'>> = {}) =>
    runDiscovery({ kubeconfig, kubeBinDir: kube().binDir, workDir: dir, ...options });

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'thinkube-discovery-'));
    canary = join(workDir, 'canary');
    fixture = discoveryFixture(canary);
    await kube().kubectlOk(['apply', '-f', '-'], { input: asList([namespace(discoveryNamespace), ...fixture.manifests]) });
    await kube().kubectlOk(['apply', '-f', '-'], { input: asList(discoveryRbac(fixture.allowListed)) });
    kubeconfig = await kube().serviceAccountKubeconfig(discoveryNamespace, discoveryServiceAccount);
    run = await discover(join(workDir, 'main'));
  });

  afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('runs as an identity that cannot list Secrets', async () => {
    const subject = `--as=system:serviceaccount:${discoveryNamespace}:${discoveryServiceAccount}`;
    const canI = await kube().kubectl(['auth', 'can-i', 'list', 'secrets', '-A', subject]);
    expect(canI.stdout.trim()).toBe('no');
  });

  it('exits 0 with a one-line summary', () => {
    expect(run.code).toBe(0);
    const { services, variables, skippedServices, skippedVariables } = fixture.summary;
    expect(run.stdout).toBe(
      `service-discovery: ${services} services, ${variables} variables; ` +
      `skipped ${skippedServices} services, ${skippedVariables} variables -> ${run.envFile}\n`,
    );
  });

  it('writes a file that, sourced by bash, yields exactly the expected variables', async () => {
    expect(await sourceEnvFile(run.envFile, workDir)).toEqual(fixture.expected);
  });

  it('executes no value, neither when writing nor when sourcing', async () => {
    // Sourced by a bash that carries on past errors, as an interactive one does.
    await execFileAsync('env', ['-i', 'bash', '--norc', '-c', '. "$1" 2>/dev/null; true', 'source-env', run.envFile]);
    expect(existsSync(canary)).toBe(false);
    // Control: the same value does run when a shell evaluates it.
    await execFileAsync('bash', ['-c', 'eval "echo $1" >/dev/null', 'control', fixture.expected.COMMAND_SUBSTITUTION]);
    expect(existsSync(canary)).toBe(true);
    await rm(canary);
  });

  it('reports each skipped service and variable on stderr', () => {
    for (const message of fixture.messages) expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(fixture.messages.length);
  });

  it('never prints a secret value', () => {
    for (const value of fixture.secretValues) {
      expect(run.stdout).not.toContain(value.trim());
      expect(run.stderr).not.toContain(value.trim());
    }
  });

  it('makes one LIST of ConfigMaps and one GET per distinct referenced Secret', () => {
    expect([...run.kubectlCalls].sort()).toEqual([
      'get --raw /api/v1/configmaps?labelSelector=thinkube.io%2Fmanaged%3Dtrue',
      'get --raw /api/v1/namespaces/disc-broken/secrets/does-not-exist',
      'get --raw /api/v1/namespaces/disc-broken/secrets/not-allow-listed',
      'get --raw /api/v1/namespaces/disc-gitea/secrets/gitea-admin-token',
      'get --raw /api/v1/namespaces/disc-hostile/secrets/hostile-secret',
      'get --raw /api/v1/namespaces/disc-postgres/secrets/postgres-credentials',
    ]);
  });

  it('parses the services one by one only when one service.yaml is not YAML', () => {
    // yq --version, the failed batch, then one yq per labelled ConfigMap.
    expect(run.yqCalls).toBe(1 + 1 + 8);
  });

  it('writes the file readable by the notebook user only, and replaces it whole', async () => {
    const first = await stat(run.envFile);
    expect(first.mode & 0o777).toBe(0o600);
    if (process.getuid?.() === 0) expect([first.uid, first.gid]).toEqual([1000, 100]);
    const before = await readFile(run.envFile, 'utf8');
    await writeFile(run.envFile, 'stale\n');
    const again = await discover(join(workDir, 'again'), { envFile: run.envFile });
    expect(again.code).toBe(0);
    expect(await readFile(run.envFile, 'utf8')).toBe(before);
    expect(await readdir(dirname(run.envFile))).toEqual(['service-env.sh']);
  });

  it('honours THINKUBE_DISCOVERY_SELECTOR', async () => {
    const other = await discover(join(workDir, 'selector'), { selector: 'thinkube.io/managed=false' });
    expect(other.code).toBe(0);
    expect(await sourceEnvFile(other.envFile, workDir)).toEqual({ UNLABELLED: 'x' });
  });

  it('exits 0 with an empty file when it cannot list ConfigMaps', async () => {
    const unbound = await kube().serviceAccountKubeconfig(discoveryNamespace, 'default');
    const denied = await discover(join(workDir, 'denied'), { kubeconfig: unbound });
    expect(denied.code).toBe(0);
    expect(denied.stderr).toMatch(/cannot list ConfigMaps \(thinkube.io\/managed=true\): .*Forbidden/);
    expect(denied.stdout).toMatch(/^service-discovery: no services read \(listing ConfigMaps failed\)/);
    expect(await sourceEnvFile(denied.envFile, workDir)).toEqual({});
  });

  it('exits 0 with an empty file, and says why, when yq is not mikefarah yq v4', async () => {
    const notYq = join(workDir, 'not-yq');
    await mkdir(notYq, { recursive: true });
    await symlink('/bin/false', join(notYq, 'yq'));
    const result = await discover(join(workDir, 'no-yq'), { yqDir: notYq });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('yq is not mikefarah yq v4');
    expect(result.stdout).toMatch(/^service-discovery: no services read \(no YAML parser\)/);
    expect(await sourceEnvFile(result.envFile, workDir)).toEqual({});
  });

  it('exits non-zero when it cannot write the file', async () => {
    const blocker = join(workDir, 'not-a-directory');
    await writeFile(blocker, '');
    const failed = await discover(join(workDir, 'unwritable'), { envFile: join(blocker, 'service-env.sh') });
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain(`cannot write ${join(blocker, 'service-env.sh')}`);
  });

  // Last: it changes the registered services.
  it('parses all services in one yq when every service.yaml is YAML, with the same result', async () => {
    await kube().kubectlOk(['-n', 'disc-empty', 'delete', 'configmap', 'invalid-yaml']);
    const batch = await discover(join(workDir, 'batch'));
    expect(batch.yqCalls).toBe(1);
    expect(batch.stdout).toContain(`skipped ${fixture.summary.skippedServices - 1} services,`);
    expect(await sourceEnvFile(batch.envFile, workDir)).toEqual(fixture.expected);
  });
});
