/**
 * bootstrap-keycloak under hostile input (issue 14, section 2): a real
 * Keycloak, fault-injecting servers on 127.0.0.1 and, in the nested block, a
 * real kube-apiserver. Every test here failed on the code before the fix.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kubeUnavailableReason } from '../kube/harness.js';
import { useKube } from '../kube/use-kube.js';
import { tierUnavailable } from '../support/tier.js';
import { bootstrapEnv } from './bootstrap-env.js';
import { type CountingProxy, startCountingProxy } from './counting-proxy.js';
import { keycloakUnavailableReason } from './harness.js';
import { type CliResult, runBin, runInProcess } from './run-cli.js';
import { useKeycloak } from './use-keycloak.js';

const keycloakMissing = tierUnavailable('keycloak', keycloakUnavailableReason());

/** A server on 127.0.0.1 started for one test; `close` ends it and its connections. */
async function listen<T extends Server>(server: T): Promise<{ port: number; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => { sockets.add(socket); });
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

describe.skipIf(keycloakMissing)('bootstrap-keycloak under hostile input', () => {
  const keycloak = useKeycloak();
  let proxy: CountingProxy;
  let cwd: string;
  const outputs: string[] = [];
  const secretsSeen = new Set<string>();

  const env = (overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv =>
    bootstrapEnv(keycloak(), proxy.url, join(cwd, 'no-such-kubeconfig'), overrides);
  const bootstrap = async (args: string[] = [], overrides: Record<string, string | undefined> = {}): Promise<CliResult> => {
    const result = await runInProcess(['bootstrap-keycloak', '--timeout', '5', ...args], env(overrides), cwd);
    outputs.push(result.stdout, result.stderr);
    return result;
  };
  /** A run for its own client that writes the Secret to a file: Keycloak only. */
  const offline = (clientId: string, args: string[] = [], overrides: Record<string, string | undefined> = {}): Promise<CliResult> =>
    bootstrap(['--write-manifest', join(cwd, 'out', `${clientId}.yaml`), ...args], { JUPYTERHUB_CLIENT_ID: clientId, ...overrides });

  const admin = async (realm = keycloak().realm): Promise<KeycloakAdminClient> => {
    const client = new KeycloakAdminClient({ baseUrl: keycloak().url, realmName: 'master' });
    await client.auth({ grantType: 'password', clientId: 'admin-cli', username: keycloak().admin.username, password: keycloak().admin.password });
    client.setConfig({ realmName: realm });
    return client;
  };
  const findClient = async (clientId: string, realm = keycloak().realm): Promise<ClientRepresentation & { id: string }> => {
    const [client] = await (await admin(realm)).clients.find({ clientId });
    expect(client?.id, `client ${clientId}`).toBeDefined();
    return client as ClientRepresentation & { id: string };
  };
  const keycloakSecret = async (clientId: string): Promise<string> => {
    const value = (await (await admin()).clients.getClientSecret({ id: (await findClient(clientId)).id })).value ?? '';
    secretsSeen.add(value);
    return value;
  };
  const groupsConfig = (enabled: boolean): string => {
    const file = join(cwd, `groups-${enabled}.config.yaml`);
    writeFileSync(file, `keycloak:\n  groupsClaim:\n    enabled: ${enabled}\n    name: hub_groups\n`);
    return file;
  };
  const groupsMappers = async (clientId: string): Promise<{ id?: string; config?: Record<string, unknown> }[]> =>
    (await findClient(clientId)).protocolMappers?.filter((mapper) => mapper.name === 'jupyterhub-groups') ?? [];

  beforeAll(async () => {
    proxy = await startCountingProxy(keycloak().url);
    cwd = mkdtempSync(join(tmpdir(), 'bootstrap-hostile-'));
  });
  afterAll(async () => {
    await proxy?.close();
    if (cwd) rmSync(cwd, { recursive: true, force: true });
  });

  describe('client scopes', () => {
    it('makes optional profile/email default, and a second run changes nothing', async () => {
      expect((await offline('scopes-hub')).code).toBe(0);
      const kc = await admin();
      const client = await findClient('scopes-hub');
      for (const name of ['profile', 'email']) {
        const scope = (await kc.clientScopes.find()).find((candidate) => candidate.name === name);
        await kc.clients.delDefaultClientScope({ id: client.id, clientScopeId: scope?.id as string });
        await kc.clients.addOptionalClientScope({ id: client.id, clientScopeId: scope?.id as string });
      }
      const fixed = await offline('scopes-hub');
      expect(fixed.stdout).toContain('keycloak client scopes: made default profile, email (were optional)');
      expect(fixed.code).toBe(0);
      const after = await findClient('scopes-hub');
      expect(after.defaultClientScopes).toEqual(expect.arrayContaining(['profile', 'email']));
      expect(after.optionalClientScopes).not.toContain('profile');

      proxy.reset();
      const again = await offline('scopes-hub');
      expect(again.stdout).toContain('keycloak client scopes: unchanged');
      expect(proxy.writes()).toEqual([]);
    });
  });

  describe('client ownership', () => {
    it.each([
      ['thinkube', 'admin-cli'], ['thinkube', 'account'], ['thinkube', 'account-console'], ['thinkube', 'broker'],
      ['thinkube', 'realm-management'], ['thinkube', 'security-admin-console'], ['master', 'admin-cli'], ['master', 'thinkube-realm'],
    ])('refuses built-in client %s/%s, also with --adopt-client, before any write', async (realm, clientId) => {
      const before = await findClient(clientId, realm);
      proxy.reset();
      for (const args of [[], ['--adopt-client']]) {
        const result = await offline(clientId, args, { KEYCLOAK_REALM: realm });
        expect(result.stderr).toContain(`keycloak.clientId "${clientId}" is `);
        expect(result.stderr).toContain('set keycloak.clientId (JUPYTERHUB_CLIENT_ID) to a client of its own');
        expect(result.code).toBe(2);
      }
      expect(proxy.writes()).toEqual([]);
      const after = await findClient(clientId, realm);
      expect({ publicClient: after.publicClient, redirectUris: after.redirectUris }).toEqual({ publicClient: before.publicClient, redirectUris: before.redirectUris });
    });

    it('refuses a client it did not create unless --adopt-client; adopted, it is reconciled and owned', async () => {
      const kc = await admin();
      await kc.clients.create({ clientId: 'foreign-hub', publicClient: false, redirectUris: ['https://other.example/callback'], webOrigins: ['https://other.example'] });
      proxy.reset();
      const refused = await offline('foreign-hub');
      expect(refused.stderr).toContain('keycloak client "foreign-hub" in realm "thinkube" exists but was not created by this command');
      expect(refused.stderr).toContain('run once with --adopt-client');
      expect(refused.code).toBe(2);
      expect(proxy.writes()).toEqual([]);
      expect((await findClient('foreign-hub')).redirectUris).toEqual(['https://other.example/callback']);

      const adopted = await offline('foreign-hub', ['--adopt-client']);
      expect(adopted.stdout).toMatch(/keycloak client foreign-hub \(realm thinkube\): updated \(.*redirectUris.*attributes\.thinkube\.io\/managed-by\)/);
      expect(adopted.code).toBe(0);
      expect((await findClient('foreign-hub')).redirectUris).toEqual(['https://jupyter.example.test/hub/oauth_callback']);
      const owned = await offline('foreign-hub');
      expect(owned.stdout).toContain('keycloak client foreign-hub (realm thinkube): unchanged');
      expect(owned.code).toBe(0);
    });
  });

  describe('groups mapper under concurrency', () => {
    it('a 409 on create (another run was first) re-reads the mapper instead of failing', async () => {
      const config = groupsConfig(true);
      expect((await offline('race-hub', [], { THINKUBE_JH_CONFIG: groupsConfig(false) })).code).toBe(0);
      const client = await findClient('race-hub');
      let raced = false;
      proxy.beforeForward = async (request) => {
        if (!raced && request.method === 'POST' && request.path.endsWith('/protocol-mappers/models')) {
          raced = true;
          // The other run: the same mapper, with a claim name of an older config.
          await (await admin()).clients.addProtocolMapper({ id: client.id }, {
            name: 'jupyterhub-groups', protocol: 'openid-connect', protocolMapper: 'oidc-group-membership-mapper', config: { 'claim.name': 'old_groups' },
          });
        }
      };
      let result: CliResult;
      try {
        result = await offline('race-hub', [], { THINKUBE_JH_CONFIG: config });
      } finally {
        proxy.beforeForward = undefined;
      }
      expect(raced).toBe(true);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('keycloak groups mapper: updated');
      expect(result.code).toBe(0);
      const mappers = await groupsMappers('race-hub');
      expect(mappers).toHaveLength(1);
      expect(mappers[0].config?.['claim.name']).toBe('hub_groups');
    });

    it('collapses duplicate mappers that racing runs left, and removes them all in one run', async () => {
      expect((await offline('dup-hub', [], { THINKUBE_JH_CONFIG: groupsConfig(false) })).code).toBe(0);
      const kc = await admin();
      const client = await findClient('dup-hub');
      const mapper = { name: 'jupyterhub-groups', protocol: 'openid-connect', protocolMapper: 'oidc-group-membership-mapper', config: { 'claim.name': 'hub_groups' } };
      // Keycloak checks for a mapper of the same name before it inserts, in separate
      // transactions: parallel creates on a client without one race past the check.
      const seedDuplicates = async (): Promise<void> => {
        for (let round = 0; round < 20; round += 1) {
          for (const existing of await groupsMappers('dup-hub')) await kc.clients.delProtocolMapper({ id: client.id, mapperId: existing.id as string });
          await Promise.allSettled(Array.from({ length: 8 }, () => kc.clients.addProtocolMapper({ id: client.id }, mapper)));
          if ((await groupsMappers('dup-hub')).length >= 2) return;
        }
      };
      await seedDuplicates();
      const seeded = (await groupsMappers('dup-hub')).length;
      expect(seeded).toBeGreaterThanOrEqual(2);

      const collapsed = await offline('dup-hub', [], { THINKUBE_JH_CONFIG: groupsConfig(true) });
      expect(collapsed.stdout).toMatch(new RegExp(`keycloak groups mapper: \\w+ \\(removed ${seeded - 1} duplicates?\\)`));
      expect(collapsed.code).toBe(0);
      expect(await groupsMappers('dup-hub')).toHaveLength(1);

      await seedDuplicates();
      expect((await groupsMappers('dup-hub')).length).toBeGreaterThanOrEqual(2);
      const off = await offline('dup-hub', [], { THINKUBE_JH_CONFIG: groupsConfig(false) });
      expect(off.stdout).toMatch(/keycloak groups mapper: removed \(removed \d+ duplicates?\)/);
      expect(await groupsMappers('dup-hub')).toHaveLength(0);
    });

    it('concurrent runs all succeed and leave one mapper', async () => {
      const config = groupsConfig(true);
      const runs = await Promise.all([1, 2, 3].map(() => offline('concurrent-hub', [], { THINKUBE_JH_CONFIG: config })));
      for (const run of runs) expect(run.stderr).toBe('');
      expect(runs.map((run) => run.code)).toEqual([0, 0, 0]);
      const settle = await offline('concurrent-hub', [], { THINKUBE_JH_CONFIG: config });
      expect(settle.code).toBe(0);
      expect(await groupsMappers('concurrent-hub')).toHaveLength(1);
    });
  });

  describe('--write-manifest', () => {
    it('never follows a link planted at the temporary file name', async () => {
      const target = join(cwd, 'out', 'planted.yaml');
      const victim = join(cwd, 'victim.txt');
      writeFileSync(victim, 'do not overwrite\n');
      mkdirSync(join(cwd, 'out'), { recursive: true });
      // The name the old writer used: <target>.<pid>.partial (the CLI runs in this process).
      symlinkSync(victim, `${target}.${process.pid}.partial`);
      const result = await bootstrap(['--write-manifest', target], { JUPYTERHUB_CLIENT_ID: 'planted-hub' });
      expect(result.code).toBe(0);
      expect(readFileSync(victim, 'utf8')).toBe('do not overwrite\n');
      const stat = lstatSync(target);
      expect(stat.isFile()).toBe(true);
      expect(stat.mode & 0o777).toBe(0o600);
      expect((parse(readFileSync(target, 'utf8')) as { kind: string }).kind).toBe('Secret');
      // The temporary file was renamed away; only the planted link is left beside the target.
      expect(readdirSync(join(cwd, 'out')).filter((name) => name.includes('planted')).sort()).toEqual(['planted.yaml', `planted.yaml.${process.pid}.partial`]);
    });

    it('refuses an empty path, a directory and the synth output (CDK8S_OUTDIR, the project\'s dist/) with exit 2', async () => {
      proxy.reset();
      const empty = await bootstrap(['--write-manifest', '']);
      expect(empty.stderr).toContain('--write-manifest is empty');
      expect(empty.code).toBe(2);
      mkdirSync(join(cwd, 'a-directory'), { recursive: true });
      const directory = await bootstrap(['--write-manifest', 'a-directory']);
      expect(directory.stderr).toContain('--write-manifest a-directory is a directory');
      expect(directory.code).toBe(2);
      const outdir = await bootstrap(['--write-manifest', 'synth-out/oidc.yaml'], { CDK8S_OUTDIR: 'synth-out' });
      expect(outdir.stderr).toContain('--write-manifest synth-out/oidc.yaml is inside synth-out/, the synth output');
      expect(outdir.code).toBe(2);
      const project = join(cwd, 'project');
      mkdirSync(project, { recursive: true });
      writeFileSync(join(project, 'jupyterhub.config.yaml'), 'namespace: jupyterhub\n');
      const projectDist = await bootstrap(['--write-manifest', join(project, 'dist', 'oidc.yaml')], { THINKUBE_JH_CONFIG: join(project, 'jupyterhub.config.yaml') });
      expect(projectDist.stderr).toContain('is inside project/dist/, the synth output');
      expect(projectDist.code).toBe(2);
      expect(proxy.requests).toEqual([]);
      expect(existsSync(join(project, 'dist'))).toBe(false);
    });

    it('--rotate-secret to a path that cannot be written fails before rotating', async () => {
      expect((await offline('rotate-file-hub')).code).toBe(0);
      const before = await keycloakSecret('rotate-file-hub');
      writeFileSync(join(cwd, 'a-file'), 'not a directory\n');
      const result = await bootstrap(['--rotate-secret', '--write-manifest', join(cwd, 'a-file', 'oidc.yaml')], { JUPYTERHUB_CLIENT_ID: 'rotate-file-hub' });
      expect(result.stderr).toMatch(/--write-manifest \S+\/a-file\/oidc\.yaml cannot be written \((ENOTDIR|EEXIST) in /);
      expect(result.code).toBe(2);
      expect(await keycloakSecret('rotate-file-hub')).toBe(before);
    });
  });

  describe('messages and exit codes', () => {
    it('HTML instead of Keycloak JSON: exit 5 saying so', async () => {
      const html = await listen(createHttpServer((_, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Sign in</body></html>')));
      try {
        const result = await bootstrap([], { KEYCLOAK_URL: `http://127.0.0.1:${html.port}` });
        expect(result.stderr).toContain('answered with something that is not Keycloak\'s JSON (an HTML page?) while authenticating');
        expect(result.code).toBe(5);
      } finally {
        await html.close();
      }
    });

    it('429 rate limiting: retried, then exit 5 saying so', async () => {
      proxy.reset();
      proxy.failNext(20, 429);
      try {
        const result = await bootstrap();
        expect(result.stderr).toContain('rate-limited the requests (429 while authenticating), also after retries');
        expect(result.code).toBe(5);
        expect(proxy.requests.filter((r) => r.status === 429).length).toBeGreaterThan(1);
      } finally {
        proxy.failNext(0);
      }
    });

    it('an absurd --timeout is a usage error (exit 2)', async () => {
      for (const value of ['1e12', '86400', '']) {
        const result = await bootstrap(['--timeout', value]);
        expect(result.stderr).toContain(`--timeout "${value}"`);
        expect(result.code).toBe(2);
      }
    });

    it('a Keycloak URL ending in /auth: says so (exit 2)', async () => {
      const result = await bootstrap([], { KEYCLOAK_URL: `${proxy.url}/auth` });
      expect(result.stderr).toContain(`keycloak.url "${proxy.url}/auth" ends in /auth`);
      expect(result.code).toBe(2);
    });

    it('client-credentials failures name the client, not user "admin"', async () => {
      const master = await admin('master');
      const { id } = await master.clients.create({ clientId: 'weak-bot', publicClient: false, serviceAccountsEnabled: true, standardFlowEnabled: false, secret: 'weak-bot-secret-value' });
      expect(id).toBeDefined();
      const wrong = await bootstrap([], { ADMIN_PASSWORD: undefined, KEYCLOAK_ADMIN_CLIENT_ID: 'weak-bot', KEYCLOAK_ADMIN_CLIENT_SECRET: 'not-the-secret' });
      expect(wrong.stderr).toContain('rejected the admin credentials of client "weak-bot" in realm master');
      expect(wrong.stderr).toContain('check KEYCLOAK_ADMIN_CLIENT_ID and KEYCLOAK_ADMIN_CLIENT_SECRET');
      expect(wrong.stderr).not.toContain('user "admin"');
      expect(wrong.code).toBe(3);
      const weak = await bootstrap([], { ADMIN_PASSWORD: undefined, KEYCLOAK_ADMIN_CLIENT_ID: 'weak-bot', KEYCLOAK_ADMIN_CLIENT_SECRET: 'weak-bot-secret-value' });
      expect(weak.stderr).toContain('the service account of client "weak-bot" may not administer realm "thinkube" (403');
      expect(weak.code).toBe(7);
    });

    it('KEYCLOAK_ADMIN_CLIENT_ID without its secret is an error, not a silent password login', async () => {
      proxy.reset();
      const result = await bootstrap([], { KEYCLOAK_ADMIN_CLIENT_ID: 'weak-bot' });
      expect(result.stderr).toContain('KEYCLOAK_ADMIN_CLIENT_ID "weak-bot" is set without KEYCLOAK_ADMIN_CLIENT_SECRET');
      expect(result.code).toBe(2);
      expect(proxy.requests).toEqual([]);
    });

    it('a --ca-file without a certificate, and a certificate for another host, say exactly that', async () => {
      const notPem = join(cwd, 'not-a-ca.pem');
      writeFileSync(notPem, 'this is not a certificate\n');
      const empty = await bootstrap(['--ca-file', notPem]);
      expect(empty.stderr).toContain(`--ca-file ${notPem} holds no certificate`);
      expect(empty.code).toBe(2);

      const openssl = (args: string[]): void => { execFileSync('openssl', args, { stdio: 'ignore', cwd }); };
      openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=other-ca', '-keyout', 'other-ca.key', '-out', 'other-ca.crt']);
      openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=other.example', '-keyout', 'other.key', '-out', 'other.csr']);
      writeFileSync(join(cwd, 'other.ext'), 'subjectAltName=DNS:other.example\n');
      openssl(['x509', '-req', '-in', 'other.csr', '-CA', 'other-ca.crt', '-CAkey', 'other-ca.key', '-CAcreateserial', '-days', '1', '-extfile', 'other.ext', '-out', 'other.crt']);
      const tls = await listen(createHttpsServer({ key: readFileSync(join(cwd, 'other.key')), cert: readFileSync(join(cwd, 'other.crt')) }, (_, response) => response.end('{}')));
      try {
        const mismatch = await bootstrap(['--ca-file', join(cwd, 'other-ca.crt')], { KEYCLOAK_URL: `https://127.0.0.1:${tls.port}` });
        expect(mismatch.stderr).toContain('its TLS certificate does not name the host "127.0.0.1" (ERR_TLS_CERT_ALTNAME_INVALID)');
        expect(mismatch.stderr).not.toContain('pass --ca-file');
        expect(mismatch.code).toBe(5);
      } finally {
        await tls.close();
      }
    });

    it('a hubUrl with a query, fragment or user information is a configuration error (exit 2)', async () => {
      for (const [url, problem] of [
        ['https://jupyter.example.test/?next=/evil', 'has a query'],
        ['https://jupyter.example.test/#frag', 'has a fragment'],
        ['https://user:pw@jupyter.example.test', 'has user information'],
      ]) {
        const result = await bootstrap([], { JUPYTERHUB_URL: url });
        expect(result.stderr).toContain('hubUrl');
        expect(result.stderr).toContain(problem);
        expect(result.code).toBe(2);
      }
    });

    it('warns loudly about a plain-http Keycloak that is not on this machine, as --insecure does', async () => {
      // 0.0.0.0 reaches this machine's listeners but is not a loopback name: it stands for a remote host.
      const plain = await offline('plain-http-hub', [], { KEYCLOAK_URL: proxy.url.replace('127.0.0.1', '0.0.0.0') });
      expect(plain.stderr).toContain(`WARNING: ${proxy.url.replace('127.0.0.1', '0.0.0.0')} IS PLAIN HTTP: the admin password and the client secret cross the network unencrypted`);
      expect(plain.code).toBe(0);
      const loopback = await offline('plain-http-hub');
      expect(loopback.stderr).toBe('');
    });
  });

  describe.skipIf(tierUnavailable('kube', kubeUnavailableReason()))('and a real kube-apiserver', () => {
    const kube = useKube();
    const inCluster = (overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> => ({ KUBECONFIG: kube().kubeconfig, ...overrides });
    const secretOf = async (namespace: string, name: string): Promise<{ data: Record<string, string>; resourceVersion: string }> => {
      const secret = JSON.parse(await kube().kubectlOk(['-n', namespace, 'get', 'secret', name, '-o', 'json'])) as { data: Record<string, string>; metadata: { resourceVersion: string } };
      const data = Object.fromEntries(Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
      return { data, resourceVersion: secret.metadata.resourceVersion };
    };
    const noTls = (): string => {
      const file = join(cwd, 'no-tls.config.yaml');
      writeFileSync(file, 'tls:\n  copyWildcardCertificate: false\n');
      return file;
    };

    it('an API server that accepts connections and never answers: exit 6 in bounded time', async () => {
      const silent = await listen(createServer(() => undefined));
      const kubeconfig = join(cwd, 'silent.kubeconfig');
      writeFileSync(kubeconfig, [
        'apiVersion: v1', 'kind: Config', 'current-context: silent',
        `clusters: [{name: silent, cluster: {server: "https://127.0.0.1:${silent.port}", insecure-skip-tls-verify: true}}]`,
        'users: [{name: silent, user: {token: nothing}}]',
        'contexts: [{name: silent, context: {cluster: silent, user: silent}}]', '',
      ].join('\n'));
      try {
        // A warm Keycloak answers well within 2 s per request; the silent API server never does.
        expect((await offline('silent-hub')).code).toBe(0);
        const result = await runBin(['bootstrap-keycloak', '--timeout', '2'], env({ KUBECONFIG: kubeconfig, JUPYTERHUB_CLIENT_ID: 'silent-hub' }), cwd);
        outputs.push(result.stdout, result.stderr);
        expect(result.stdout, result.stderr).toContain('keycloak client secret: read');
        expect(result.stderr).toMatch(/cluster https:\/\/127\.0\.0\.1:\d+ \(context "silent"\) did not answer within 2 s while reading Namespace jupyterhub, also after retries/);
        expect(result.code).toBe(6);
        // 4 attempts of 2 s and the backoff between them, plus start-up and the Keycloak steps.
        expect(result.ms).toBeLessThan(30_000);
      } finally {
        await silent.close();
      }
    }, 60_000);

    it('an extra key of another field manager is left in place and the run converges', async () => {
      const overrides = inCluster({ JUPYTERHUB_CLIENT_ID: 'owned-hub', JUPYTERHUB_NAMESPACE: 'owned', THINKUBE_JH_CONFIG: noTls() });
      expect((await bootstrap([], overrides)).code).toBe(0);
      await kube().kubectlOk(['apply', '--server-side', '--field-manager=someone-else', '-f', '-'], {
        input: 'apiVersion: v1\nkind: Secret\nmetadata: {name: jupyterhub-oidc-secret, namespace: owned}\nstringData: {extra: kept}\n',
      });
      const first = await bootstrap([], overrides);
      expect(first.stdout).toContain('secret owned/jupyterhub-oidc-secret: unchanged; left keys it does not manage: extra');
      const before = await secretOf('owned', 'jupyterhub-oidc-secret');
      const second = await bootstrap([], overrides);
      expect(second.stdout).toContain('secret owned/jupyterhub-oidc-secret: unchanged');
      expect((await secretOf('owned', 'jupyterhub-oidc-secret')).resourceVersion).toBe(before.resourceVersion);
      expect(before.data.extra).toBe('kept');
    });

    it('a key another manager took over is forced back, once', async () => {
      const overrides = inCluster({ JUPYTERHUB_CLIENT_ID: 'owned-hub', JUPYTERHUB_NAMESPACE: 'owned', THINKUBE_JH_CONFIG: noTls() });
      await kube().kubectlOk(['apply', '--server-side', '--force-conflicts', '--field-manager=intruder', '-f', '-'], {
        input: 'apiVersion: v1\nkind: Secret\nmetadata: {name: jupyterhub-oidc-secret, namespace: owned}\nstringData: {client_secret: forged-value}\n',
      });
      const fixed = await bootstrap([], overrides);
      expect(fixed.stdout).toContain('secret owned/jupyterhub-oidc-secret: updated');
      expect((await secretOf('owned', 'jupyterhub-oidc-secret')).data.client_secret).toBe(await keycloakSecret('owned-hub'));
      const again = await bootstrap([], overrides);
      expect(again.stdout).toContain('secret owned/jupyterhub-oidc-secret: unchanged');
    });

    it('a Secret of another type, an immutable Secret and a TLS source without tls.key say what is wrong (exit 2)', async () => {
      await kube().kubectlOk(['create', 'namespace', 'typed']);
      await kube().kubectlOk(['-n', 'typed', 'create', 'secret', 'generic', 'jupyterhub-oidc-secret', '--type=kubernetes.io/basic-auth', '--from-literal=username=x']);
      const typed = await bootstrap([], inCluster({ JUPYTERHUB_CLIENT_ID: 'typed-hub', JUPYTERHUB_NAMESPACE: 'typed', THINKUBE_JH_CONFIG: noTls() }));
      expect(typed.stderr).toContain('Secret typed/jupyterhub-oidc-secret exists with type kubernetes.io/basic-auth, but the bootstrap writes type Opaque');
      expect(typed.stderr).toContain('kubectl -n typed delete secret jupyterhub-oidc-secret');
      expect(typed.code).toBe(2);

      await kube().kubectlOk(['create', 'namespace', 'frozen']);
      await kube().kubectlOk(['apply', '-f', '-'], {
        input: 'apiVersion: v1\nkind: Secret\nmetadata: {name: jupyterhub-oidc-secret, namespace: frozen}\nimmutable: true\ntype: Opaque\nstringData: {client_id: frozen-hub, client_secret: stale}\n',
      });
      const frozen = await bootstrap([], inCluster({ JUPYTERHUB_CLIENT_ID: 'frozen-hub', JUPYTERHUB_NAMESPACE: 'frozen', THINKUBE_JH_CONFIG: noTls() }));
      expect(frozen.stderr).toContain('Secret frozen/jupyterhub-oidc-secret is immutable and holds other values');
      expect(frozen.code).toBe(2);

      await kube().kubectlOk(['-n', 'default', 'create', 'secret', 'generic', 'half-tls', '--from-literal=tls.crt=only-a-certificate']);
      const file = join(cwd, 'half-tls.config.yaml');
      writeFileSync(file, 'tls:\n  sourceSecretName: half-tls\n  sourceNamespace: default\n');
      const half = await bootstrap([], inCluster({ JUPYTERHUB_CLIENT_ID: 'typed-hub', JUPYTERHUB_NAMESPACE: 'half', THINKUBE_JH_CONFIG: file }));
      expect(half.stderr).toContain('tls.sourceSecretName: Secret default/half-tls has no tls.key, so it is not a TLS certificate');
      expect(half.code).toBe(2);
    });

    it('--rotate-secret checks that the Secret can be written (can-i) before rotating', async () => {
      const overrides = inCluster({ JUPYTERHUB_CLIENT_ID: 'rotate-hub', JUPYTERHUB_NAMESPACE: 'rotate', THINKUBE_JH_CONFIG: noTls() });
      expect((await bootstrap([], overrides)).code).toBe(0);
      const before = await keycloakSecret('rotate-hub');
      await kube().kubectlOk(['-n', 'rotate', 'create', 'serviceaccount', 'reader']);
      await kube().kubectlOk(['-n', 'rotate', 'create', 'role', 'read-secrets', '--verb=get,list', '--resource=secrets']);
      await kube().kubectlOk(['-n', 'rotate', 'create', 'rolebinding', 'reader', '--role=read-secrets', '--serviceaccount=rotate:reader']);
      await kube().kubectlOk(['create', 'clusterrole', 'read-namespaces', '--verb=get', '--resource=namespaces']);
      await kube().kubectlOk(['create', 'clusterrolebinding', 'rotate-reader', '--clusterrole=read-namespaces', '--serviceaccount=rotate:reader']);
      const result = await bootstrap(['--rotate-secret'], { ...overrides, KUBECONFIG: await kube().serviceAccountKubeconfig('rotate', 'reader') });
      expect(result.stderr).toContain('may not patch secrets in namespace rotate (kubectl auth can-i patch secrets -n rotate says no)');
      expect(result.stderr).toContain('nothing was rotated');
      expect(result.code).toBe(7);
      expect(await keycloakSecret('rotate-hub')).toBe(before);
    });

    it('a delivery that fails after rotating prints the command that recovers, and that command does', async () => {
      const overrides = inCluster({ JUPYTERHUB_CLIENT_ID: 'recover-hub', JUPYTERHUB_NAMESPACE: 'recover', THINKUBE_JH_CONFIG: noTls() });
      expect((await bootstrap([], overrides)).code).toBe(0);
      const before = await keycloakSecret('recover-hub');
      // An admission policy (a real API server feature) refuses the write that RBAC allows.
      await kube().kubectlOk(['apply', '-f', '-'], {
        input: [
          'apiVersion: admissionregistration.k8s.io/v1', 'kind: ValidatingAdmissionPolicy', 'metadata: {name: freeze-recover}',
          'spec:', '  failurePolicy: Fail',
          '  matchConstraints: {resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [UPDATE], resources: [secrets]}]}',
          '  validations: [{expression: "object.metadata.namespace != \'recover\'", message: "secrets in recover are frozen"}]',
          '---',
          'apiVersion: admissionregistration.k8s.io/v1', 'kind: ValidatingAdmissionPolicyBinding', 'metadata: {name: freeze-recover}',
          'spec: {policyName: freeze-recover, validationActions: [Deny]}', '',
        ].join('\n'),
      });
      let failed: CliResult | undefined;
      try {
        for (let attempt = 0; attempt < 20; attempt += 1) {
          failed = await bootstrap(['--rotate-secret'], overrides);
          if (failed.code !== 0) break;
          await new Promise((resolve) => setTimeout(resolve, 500)); // the policy takes a moment to load
        }
      } finally {
        await kube().kubectlOk(['delete', 'validatingadmissionpolicybinding,validatingadmissionpolicy', 'freeze-recover']);
      }
      expect(failed?.stderr).toContain('secrets in recover are frozen');
      expect(failed?.stderr).toContain('The client secret WAS ROTATED in Keycloak but not delivered');
      expect(failed?.stderr).toContain('run: thinkube-jupyterhub bootstrap-keycloak   (without --rotate-secret');
      expect(await keycloakSecret('recover-hub')).not.toBe(before);

      let recovered: CliResult | undefined;
      for (let attempt = 0; attempt < 20; attempt += 1) {
        recovered = await bootstrap([], overrides);
        if (recovered.code === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 500)); // until the policy is unloaded
      }
      expect(recovered?.stdout).toContain('secret recover/jupyterhub-oidc-secret: updated');
      expect((await secretOf('recover', 'jupyterhub-oidc-secret')).data.client_secret).toBe(await keycloakSecret('recover-hub'));
    }, 60_000);
  });

  it('never prints a secret', () => {
    const secrets = [...secretsSeen, keycloak().admin.password, 'weak-bot-secret-value'].filter((s) => s.length > 0);
    expect(outputs.length).toBeGreaterThan(20);
    for (const output of outputs) {
      for (const secret of secrets) expect(output).not.toContain(secret);
    }
  });
});
