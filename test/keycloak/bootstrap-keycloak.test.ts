import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
import { freePort } from '../support/ports.js';
import { keycloakUnavailableReason } from './harness.js';
import { type CliResult, runBin, runInProcess } from './run-cli.js';
import { useKeycloak } from './use-keycloak.js';

const unavailable = tierUnavailable('keycloak', keycloakUnavailableReason()) || tierUnavailable('kube', kubeUnavailableReason());

describe.skipIf(unavailable)('bootstrap-keycloak against a real Keycloak and kube-apiserver', () => {
  const keycloak = useKeycloak({ https: true });
  const kube = useKube();
  let proxy: CountingProxy;
  let cwd: string;
  const outputs: string[] = [];
  const secretsSeen = new Set<string>();

  const env = (overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv =>
    bootstrapEnv(keycloak(), proxy.url, kube().kubeconfig, overrides);
  const bootstrap = async (args: string[] = [], overrides: Record<string, string | undefined> = {}): Promise<CliResult> => {
    const result = await runInProcess(['bootstrap-keycloak', '--timeout', '5', ...args], env(overrides), cwd);
    outputs.push(result.stdout, result.stderr);
    return result;
  };

  const admin = async (): Promise<KeycloakAdminClient> => {
    const client = new KeycloakAdminClient({ baseUrl: keycloak().url, realmName: 'master' });
    await client.auth({ grantType: 'password', clientId: 'admin-cli', username: keycloak().admin.username, password: keycloak().admin.password });
    client.setConfig({ realmName: keycloak().realm });
    return client;
  };
  const hubClient = async (): Promise<ClientRepresentation & { id: string }> => {
    const [client] = await (await admin()).clients.find({ clientId: 'jupyterhub' });
    expect(client?.id).toBeDefined();
    return client as ClientRepresentation & { id: string };
  };
  const keycloakSecret = async (): Promise<string> => {
    const value = (await (await admin()).clients.getClientSecret({ id: (await hubClient()).id })).value ?? '';
    secretsSeen.add(value);
    return value;
  };
  const kubeSecret = async (namespace: string, name: string): Promise<{ data: Record<string, string>; resourceVersion: string; type: string }> => {
    const secret = JSON.parse(await kube().kubectlOk(['-n', namespace, 'get', 'secret', name, '-o', 'json'])) as {
      data: Record<string, string>; metadata: { resourceVersion: string }; type: string;
    };
    const data = Object.fromEntries(Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
    return { data, resourceVersion: secret.metadata.resourceVersion, type: secret.type };
  };

  beforeAll(async () => {
    proxy = await startCountingProxy(keycloak().url);
    cwd = mkdtempSync(join(tmpdir(), 'bootstrap-keycloak-'));
    // The wildcard certificate the spec copies: <domain with dots as dashes>-tls in default.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=*.example.test',
      '-keyout', join(cwd, 'wild.key'), '-out', join(cwd, 'wild.crt')], { stdio: 'ignore' });
    await kube().kubectlOk(['-n', 'default', 'create', 'secret', 'tls', 'example-test-tls',
      `--cert=${join(cwd, 'wild.crt')}`, `--key=${join(cwd, 'wild.key')}`]);
  });
  afterAll(async () => {
    await proxy?.close();
    if (cwd) rmSync(cwd, { recursive: true, force: true });
  });

  it('refuses to start without ADMIN_PASSWORD (exit 2)', async () => {
    const result = await bootstrap([], { ADMIN_PASSWORD: undefined });
    expect(result.stderr).toContain('ADMIN_PASSWORD is not set');
    expect(result.code).toBe(2);
    expect(proxy.requests).toEqual([]);
  });

  it('reports a wrong admin password (exit 3)', async () => {
    const result = await bootstrap([], { ADMIN_PASSWORD: 'not-the-password' });
    expect(result.stderr).toMatch(/rejected the admin credentials of user "admin" in realm master \(40[01]\): check keycloak\.adminUsername/);
    expect(result.code).toBe(3);
  });

  it('reports a missing realm (exit 4)', async () => {
    const result = await bootstrap([], { KEYCLOAK_REALM: 'no-such-realm' });
    expect(result.stderr).toContain('has no realm "no-such-realm" (404');
    expect(result.code).toBe(4);
  });

  it('reports an admin without rights on the realm (exit 7)', async () => {
    const master = await admin();
    master.setConfig({ realmName: 'master' });
    await master.users.create({
      username: 'no-rights', enabled: true, email: 'no-rights@example.test', firstName: 'No', lastName: 'Rights', emailVerified: true,
      credentials: [{ type: 'password', value: 'no-rights-password', temporary: false }],
    });
    const result = await bootstrap([], { ADMIN_USERNAME: 'no-rights', ADMIN_PASSWORD: 'no-rights-password' });
    expect(result.stderr).toContain('user "no-rights" may not administer realm "thinkube" (403');
    expect(result.code).toBe(7);
  });

  it('first run creates the client, the namespace, the Secret and the TLS copy', async () => {
    proxy.reset();
    const result = await bootstrap();
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n')).toEqual([
      'keycloak login admin@master: ok',
      'keycloak client jupyterhub (realm thinkube): created',
      'keycloak client scopes: unchanged',
      'keycloak groups mapper: disabled',
      'keycloak client secret: read',
      'namespace jupyterhub: created',
      'secret jupyterhub/jupyterhub-oidc-secret: created',
      'tls secret jupyterhub/jupyterhub-tls-secret from default/example-test-tls: created',
    ]);
    expect(result.code).toBe(0);

    const client = await hubClient();
    expect(client).toMatchObject({
      protocol: 'openid-connect', publicClient: false, standardFlowEnabled: true, directAccessGrantsEnabled: true,
      implicitFlowEnabled: false, serviceAccountsEnabled: false, fullScopeAllowed: true,
      redirectUris: ['https://jupyter.example.test/hub/oauth_callback'], webOrigins: ['https://jupyter.example.test'],
    });
    expect(client.defaultClientScopes).toEqual(expect.arrayContaining(['profile', 'email', 'basic']));
    expect(client.attributes?.['post.logout.redirect.uris']?.split('##')).toEqual(expect.arrayContaining(['https://control.example.test']));

    const tls = await kubeSecret('jupyterhub', 'jupyterhub-tls-secret');
    expect(tls.type).toBe('kubernetes.io/tls');
    expect((await kubeSecret('default', 'example-test-tls')).data).toEqual(tls.data);
  });

  it('writes the Secret with the value Keycloak holds', async () => {
    const secret = await kubeSecret('jupyterhub', 'jupyterhub-oidc-secret');
    expect(secret.data).toEqual({ client_id: 'jupyterhub', client_secret: await keycloakSecret() });
    expect(secret.data.client_secret.length).toBeGreaterThan(16);
  });

  it('the client works for the hub: users log in with the Secret, the callback and logout redirect are allowed', async () => {
    const realmUrl = `${keycloak().url}/realms/${keycloak().realm}/protocol/openid-connect`;
    const secret = (await kubeSecret('jupyterhub', 'jupyterhub-oidc-secret')).data;
    const { user } = keycloak().users;
    const login = await fetch(`${realmUrl}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password', client_id: secret.client_id, client_secret: secret.client_secret,
        username: user.username, password: user.password, scope: 'openid profile email',
      }),
    });
    expect(login.status).toBe(200);
    const idToken = ((await login.json()) as { id_token: string }).id_token;
    const claims = JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ preferred_username: user.username, email: user.email, given_name: user.firstName, family_name: user.lastName });

    const authorize = (redirect: string): Promise<Response> => fetch(`${realmUrl}/auth?${new URLSearchParams({
      client_id: 'jupyterhub', response_type: 'code', scope: 'openid', redirect_uri: redirect,
    })}`, { redirect: 'manual' });
    expect((await authorize('https://jupyter.example.test/hub/oauth_callback')).status).toBe(200);
    expect((await authorize('https://evil.example/hub/oauth_callback')).status).toBe(400);
    // The hub's logout link: .../logout?post_logout_redirect_uri=<logoutRedirectUrl>&client_id=<clientId>
    const logout = (redirect: string): Promise<Response> => fetch(`${realmUrl}/logout?${new URLSearchParams({
      post_logout_redirect_uri: redirect, client_id: 'jupyterhub',
    })}`, { redirect: 'manual' });
    const allowed = await logout('https://control.example.test');
    expect(allowed.status).toBe(302);
    expect(allowed.headers.get('location')).toBe('https://control.example.test');
    expect((await logout('https://evil.example/')).status).toBe(400);
  });

  it('second run changes nothing: no write to Keycloak or the cluster, at most 6 requests', async () => {
    const before = await kubeSecret('jupyterhub', 'jupyterhub-oidc-secret');
    const tlsBefore = await kubeSecret('jupyterhub', 'jupyterhub-tls-secret');
    proxy.reset();
    const result = await bootstrap();
    expect(result.code).toBe(0);
    expect(proxy.writes()).toEqual([]);
    expect(proxy.requests.length).toBeLessThanOrEqual(6);
    expect(result.stdout).toContain('keycloak client jupyterhub (realm thinkube): unchanged');
    expect(result.stdout).toContain('secret jupyterhub/jupyterhub-oidc-secret: unchanged');
    expect(result.stdout).toContain('from default/example-test-tls: unchanged');
    expect((await kubeSecret('jupyterhub', 'jupyterhub-oidc-secret')).resourceVersion).toBe(before.resourceVersion);
    expect((await kubeSecret('jupyterhub', 'jupyterhub-tls-secret')).resourceVersion).toBe(tlsBefore.resourceVersion);
  });

  it('a changed hostname updates the redirect URIs, web origins and logout URIs', async () => {
    proxy.reset();
    const result = await bootstrap([], { JUPYTERHUB_HOSTNAME: 'lab.example.test' });
    expect(result.stdout).toContain('keycloak client jupyterhub (realm thinkube): updated (redirectUris, webOrigins, attributes.post.logout.redirect.uris)');
    expect(result.code).toBe(0);
    expect(proxy.writes().map((r) => r.method)).toEqual(['PUT']);
    const client = await hubClient();
    expect(client.redirectUris).toEqual(['https://lab.example.test/hub/oauth_callback']);
    expect(client.webOrigins).toEqual(['https://lab.example.test']);
  });

  it('--dry-run prints the plan and writes nothing', async () => {
    const kc = await admin();
    const edited = await hubClient();
    await kc.clients.update({ id: edited.id }, { ...edited, implicitFlowEnabled: true });
    proxy.reset();
    const result = await bootstrap(['--dry-run'], { JUPYTERHUB_NAMESPACE: 'dry-run-only' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('keycloak client jupyterhub (realm thinkube): would update (implicitFlowEnabled, redirectUris, webOrigins, attributes.post.logout.redirect.uris)');
    expect(result.stdout).toContain('namespace dry-run-only: would create');
    expect(result.stdout).toContain('secret dry-run-only/jupyterhub-oidc-secret: would create');
    expect(proxy.writes()).toEqual([]);
    expect((await hubClient()).implicitFlowEnabled).toBe(true);
    expect((await kube().kubectl(['get', 'namespace', 'dry-run-only'])).code).not.toBe(0);
  });

  it('a client edited by hand is reconciled back, keeping fields it does not own', async () => {
    const kc = await admin();
    const edited = await hubClient();
    await kc.clients.update({ id: edited.id }, {
      ...edited,
      description: 'set by an administrator',
      directAccessGrantsEnabled: false,
      serviceAccountsEnabled: true,
      redirectUris: ['https://jupyter.example.test/hub/oauth_callback', 'https://evil.example/*'],
    });
    const result = await bootstrap();
    expect(result.stdout).toContain('keycloak client jupyterhub (realm thinkube): updated (directAccessGrantsEnabled, implicitFlowEnabled, serviceAccountsEnabled, redirectUris, webOrigins, attributes.post.logout.redirect.uris)');
    expect(result.code).toBe(0);
    const client = await hubClient();
    expect(client).toMatchObject({
      description: 'set by an administrator', directAccessGrantsEnabled: true, implicitFlowEnabled: false, serviceAccountsEnabled: false,
      redirectUris: ['https://jupyter.example.test/hub/oauth_callback'],
    });
  });

  it('retries 5xx answers and dropped connections with backoff, then succeeds', async () => {
    proxy.reset();
    proxy.failNext(2, 503);
    const result = await bootstrap();
    expect(result.code).toBe(0);
    expect(proxy.requests.filter((r) => r.status === 503)).toHaveLength(2);

    proxy.reset();
    proxy.failNext(2, 0);
    const dropped = await bootstrap();
    expect(dropped.code).toBe(0);
    expect(proxy.requests.filter((r) => r.status === 0)).toHaveLength(2);
  });

  it('logs in again when the admin session ends mid-run', async () => {
    const kc = await admin();
    kc.setConfig({ realmName: 'master' });
    const [user] = await kc.users.find({ username: keycloak().admin.username, exact: true });
    let revoked = false;
    proxy.beforeForward = async (request) => {
      if (!revoked && request.path.includes('/admin/realms/thinkube/clients')) {
        revoked = true;
        await kc.users.logout({ id: user.id as string });
      }
    };
    proxy.reset();
    try {
      const result = await bootstrap();
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    } finally {
      proxy.beforeForward = undefined;
    }
    expect(revoked).toBe(true);
    expect(proxy.requests.filter((r) => r.path.endsWith('/realms/master/protocol/openid-connect/token'))).toHaveLength(2);
    expect(proxy.requests.some((r) => r.status === 401)).toBe(true);
  });

  it('logs in with client credentials instead of a password when given a client id and secret', async () => {
    const master = await admin();
    master.setConfig({ realmName: 'master' });
    const botSecret = 'bootstrap-bot-secret-for-tests';
    const { id } = await master.clients.create({
      clientId: 'bootstrap-bot', publicClient: false, serviceAccountsEnabled: true, standardFlowEnabled: false, secret: botSecret,
    });
    const account = await master.clients.getServiceAccountUser({ id });
    const role = await master.roles.findOneByName({ name: 'admin' });
    await master.users.addRealmRoleMappings({ id: account.id as string, roles: [{ id: role?.id as string, name: 'admin' }] });
    proxy.reset();
    const result = await bootstrap([], { ADMIN_PASSWORD: undefined, KEYCLOAK_ADMIN_CLIENT_ID: 'bootstrap-bot', KEYCLOAK_ADMIN_CLIENT_SECRET: botSecret });
    expect(result.stdout).toContain('keycloak login bootstrap-bot@master: ok');
    expect(result.stdout).toContain('keycloak client jupyterhub (realm thinkube): unchanged');
    expect(result.code).toBe(0);
    expect(proxy.writes()).toEqual([]);
    for (const output of [result.stdout, result.stderr]) expect(output).not.toContain(botSecret);
  });

  it('keeps the client secret; --rotate-secret replaces it in Keycloak and the Secret', async () => {
    const original = await keycloakSecret();
    await bootstrap();
    expect(await keycloakSecret()).toBe(original);
    const rotated = await bootstrap(['--rotate-secret']);
    expect(rotated.stdout).toContain('keycloak client secret: rotated');
    expect(rotated.stdout).toContain('secret jupyterhub/jupyterhub-oidc-secret: updated');
    const renewed = await keycloakSecret();
    expect(renewed).not.toBe(original);
    expect((await kubeSecret('jupyterhub', 'jupyterhub-oidc-secret')).data.client_secret).toBe(renewed);
  });

  it('manages the groups claim mapper when enabled, and removes it when disabled again', async () => {
    const file = join(cwd, 'groups.config.yaml');
    writeFileSync(file, 'keycloak:\n  groupsClaim:\n    enabled: true\n    name: hub_groups\n');
    const enabled = await bootstrap([], { THINKUBE_JH_CONFIG: file });
    expect(enabled.stdout).toContain('keycloak groups mapper: created');
    const mapper = (await hubClient()).protocolMappers?.find((m) => m.name === 'jupyterhub-groups');
    expect(mapper?.config?.['claim.name']).toBe('hub_groups');
    expect((await bootstrap([], { THINKUBE_JH_CONFIG: file })).stdout).toContain('keycloak groups mapper: unchanged');
    expect((await bootstrap()).stdout).toContain('keycloak groups mapper: removed');
    expect((await hubClient()).protocolMappers?.some((m) => m.name === 'jupyterhub-groups') ?? false).toBe(false);
  });

  it('adds the groups claim mapper whenever groups decide login or admin rights', async () => {
    const file = join(cwd, 'admin-groups.config.yaml');
    writeFileSync(file, 'keycloak:\n  adminGroups: [lab-admins]\n');
    expect((await bootstrap([], { THINKUBE_JH_CONFIG: file })).stdout).toContain('keycloak groups mapper: created');
    const mapper = (await hubClient()).protocolMappers?.find((m) => m.name === 'jupyterhub-groups');
    expect(mapper?.config?.['claim.name']).toBe('groups');
    expect((await bootstrap()).stdout).toContain('keycloak groups mapper: removed');
  });

  it('--write-manifest writes a 0600 Secret manifest without touching the cluster, never into dist/', async () => {
    const file = join(cwd, 'out', 'oidc-secret.yaml');
    const result = await bootstrap(['--write-manifest', file], { KUBECONFIG: join(cwd, 'no-such-kubeconfig') });
    expect(result.code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const manifest = parse(readFileSync(file, 'utf8')) as { kind: string; metadata: { name: string; namespace: string }; data: Record<string, string> };
    expect(manifest).toMatchObject({ kind: 'Secret', metadata: { name: 'jupyterhub-oidc-secret', namespace: 'jupyterhub' } });
    expect(Buffer.from(manifest.data.client_secret, 'base64').toString()).toBe(await keycloakSecret());
    expect((await bootstrap(['--write-manifest', file])).stdout).toContain('unchanged (mode 0600)');

    const refused = await bootstrap(['--write-manifest', 'dist/oidc-secret.yaml']);
    expect(refused.stderr).toContain('is inside dist/');
    expect(refused.code).toBe(2);
    expect(() => statSync(join(cwd, 'dist', 'oidc-secret.yaml'))).toThrow();
  });

  it('reports an unreachable cluster (exit 6) and a forbidden one (exit 7)', async () => {
    const unreachable = join(cwd, 'unreachable.kubeconfig');
    writeFileSync(unreachable, [
      'apiVersion: v1', 'kind: Config', 'current-context: gone',
      'clusters: [{name: gone, cluster: {server: "https://127.0.0.1:' + String(await freePort()) + '", insecure-skip-tls-verify: true}}]',
      'users: [{name: gone, user: {token: nothing}}]',
      'contexts: [{name: gone, context: {cluster: gone, user: gone}}]', '',
    ].join('\n'));
    const down = await bootstrap([], { KUBECONFIG: unreachable });
    expect(down.stderr).toMatch(/cluster https:\/\/127\.0\.0\.1:\d+ \(context "gone"\) is unreachable/);
    expect(down.code).toBe(6);

    await kube().kubectlOk(['create', 'namespace', 'bootstrap-rbac']);
    await kube().kubectlOk(['-n', 'bootstrap-rbac', 'create', 'serviceaccount', 'no-rights']);
    const forbidden = await bootstrap([], { KUBECONFIG: await kube().serviceAccountKubeconfig('bootstrap-rbac', 'no-rights') });
    expect(forbidden.stderr).toContain('(403 while reading Namespace jupyterhub)');
    expect(forbidden.code).toBe(7);
  });

  it('verifies Keycloak\'s TLS certificate; --ca-file trusts a private CA; --insecure warns loudly', async () => {
    const httpsUrl = keycloak().httpsUrl as string;
    const untrusted = await bootstrap([], { KEYCLOAK_URL: httpsUrl });
    expect(untrusted.stderr).toContain('TLS certificate is not trusted');
    expect(untrusted.code).toBe(5);

    const trusted = await bootstrap(['--ca-file', keycloak().caFile as string], { KEYCLOAK_URL: httpsUrl });
    expect(trusted.stderr).toBe('');
    expect(trusted.code).toBe(0);

    const insecure = await bootstrap(['--insecure'], { KEYCLOAK_URL: httpsUrl });
    expect(insecure.stderr).toContain(`WARNING: TLS VERIFICATION OF ${httpsUrl} IS OFF (--insecure)`);
    expect(insecure.code).toBe(0);
  });

  it('gives up on a Keycloak that never answers (exit 5)', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const result = await runInProcess(['bootstrap-keycloak', '--timeout', '0.3'], env({ KEYCLOAK_URL: `http://127.0.0.1:${port}` }), cwd);
      outputs.push(result.stdout, result.stderr);
      expect(result.stderr).toContain('did not answer in time while authenticating, also after retries');
      expect(result.code).toBe(5);
    } finally {
      silent.close();
    }
  });

  it('runs through the package bin with the same exit codes', async () => {
    const ok = await runBin(['bootstrap-keycloak'], env(), cwd);
    outputs.push(ok.stdout, ok.stderr);
    expect(ok.stdout).toContain('keycloak client jupyterhub (realm thinkube): unchanged');
    expect(ok.code).toBe(0);
    const denied = await runBin(['bootstrap-keycloak'], env({ ADMIN_PASSWORD: 'wrong-password' }), cwd);
    outputs.push(denied.stdout, denied.stderr);
    expect(denied.code).toBe(3);
  });

  it('an interrupted run (Ctrl-C) leaves a state the next run finishes', async () => {
    const fresh = { JUPYTERHUB_CLIENT_ID: 'interrupted-hub', JUPYTERHUB_NAMESPACE: 'interrupted' };
    let child: ChildProcess | undefined;
    // Interrupt after the client was created, while its secret is being read.
    proxy.beforeForward = async (request) => {
      if (request.path.endsWith('/client-secret') && child !== undefined) {
        child.kill('SIGINT');
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
    };
    let interrupted: CliResult;
    try {
      interrupted = await runBin(['bootstrap-keycloak'], env(fresh), cwd, (spawned) => { child = spawned; });
    } finally {
      proxy.beforeForward = undefined;
    }
    outputs.push(interrupted.stdout, interrupted.stderr);
    expect(interrupted.stdout).toContain('keycloak client interrupted-hub (realm thinkube): created');
    expect(interrupted.stderr).toContain('interrupted; nothing is half-written, run the command again to finish');
    expect(interrupted.code).toBe(130);
    expect((await kube().kubectl(['-n', 'interrupted', 'get', 'secret', 'jupyterhub-oidc-secret'])).code).not.toBe(0);

    const resumed = await bootstrap([], fresh);
    expect(resumed.stdout).toContain('keycloak client interrupted-hub (realm thinkube): unchanged');
    expect(resumed.stdout).toContain('secret interrupted/jupyterhub-oidc-secret: created');
    expect(resumed.code).toBe(0);
  });

  it('reports a stopped Keycloak (exit 5)', async () => {
    await keycloak().stop();
    const result = await bootstrap([], { KEYCLOAK_URL: keycloak().url });
    expect(result.stderr).toContain(`Keycloak at ${keycloak().url} is unreachable (ECONNREFUSED) while authenticating`);
    expect(result.code).toBe(5);
  });

  it('never prints a secret', () => {
    const secrets = [...secretsSeen, keycloak().admin.password].filter((s) => s.length > 0);
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    expect(outputs.length).toBeGreaterThan(30);
    for (const output of outputs) {
      for (const secret of secrets) expect(output).not.toContain(secret);
    }
  });
});
