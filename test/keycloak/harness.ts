/**
 * The TypeScript face of the keycloak test tier: a real Keycloak in dev mode
 * on 127.0.0.1, run by keycloak.sh (shared with provision.sh), with a test
 * realm imported at start. Startup takes 15–60 s: start it once per test file
 * (useKeycloak in use-keycloak.ts) and share it between that file's tests.
 *
 *   describe.skipIf(tierUnavailable('keycloak', keycloakUnavailableReason()))('...', () => {
 *     const keycloak = useKeycloak();
 *     it('...', () => { expect(keycloak().url).toMatch(/^http:/); });
 *   });
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/ports.js';
import { runProcess } from '../support/process.js';
import { scriptCheckReason } from '../support/tier.js';
import { TEST_GROUPS, type TestUser, testRealm } from './realm-fixture.js';

const script = join(dirname(fileURLToPath(import.meta.url)), 'keycloak.sh');

export interface KeycloakHarness {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** https://127.0.0.1:<port> when started with `https`, served with a certificate signed by caFile. */
  readonly httpsUrl?: string;
  /** The CA that signed the HTTPS certificate (PEM file). */
  readonly caFile?: string;
  /** Health and metrics: http://127.0.0.1:<management port> */
  readonly managementUrl: string;
  /** The bootstrap admin of the master realm (generated per run). */
  readonly admin: { readonly username: string; readonly password: string };
  /** The imported test realm. */
  readonly realm: string;
  /**
   * Users of the test realm: `admin` (group jupyter-admins), `user` and
   * `colleague` (group jupyter-users) and `outsider` (no group).
   */
  readonly users: { readonly admin: TestUser; readonly user: TestUser; readonly colleague: TestUser; readonly outsider: TestUser };
  /** Seconds from spawn to a ready health endpoint. */
  readonly startSeconds: number;
  readonly runDir: string;
  /** Stops Keycloak and deletes runDir; safe to call twice. */
  stop(): Promise<void>;
}

export interface StartKeycloakOptions {
  /** Name of the imported test realm. @default 'thinkube' */
  readonly realm?: string;
  /** Also serve HTTPS with a certificate from a generated test CA. @default false */
  readonly https?: boolean;
}

/** Why the keycloak tier cannot run here (not provisioned, no Java 21+), or undefined. */
export function keycloakUnavailableReason(): string | undefined {
  return scriptCheckReason(script);
}

function run(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return runProcess('bash', [script, ...args], { env, timeoutMs });
}

function user(username: string, firstName: string, lastName: string, groups: string[]): TestUser {
  return {
    username,
    groups,
    password: randomBytes(12).toString('hex'),
    email: `${username}@example.test`,
    firstName,
    lastName,
  };
}

/** A throwaway CA and a server certificate for 127.0.0.1, made with openssl. */
async function makeCertificates(dir: string): Promise<{ caFile: string; certFile: string; keyFile: string }> {
  const file = (name: string): string => join(dir, name);
  const openssl = (args: string[]): void => {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=thinkube-test-ca',
    '-keyout', file('ca.key'), '-out', file('ca.crt')]);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1',
    '-keyout', file('tls.key'), '-out', file('tls.csr')]);
  await writeFile(file('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(['x509', '-req', '-in', file('tls.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial',
    '-days', '1', '-extfile', file('san.ext'), '-out', file('tls.crt')]);
  return { caFile: file('ca.crt'), certFile: file('tls.crt'), keyFile: file('tls.key') };
}

/** Starts a Keycloak with a fresh in-memory database and the test realm imported. */
export async function startKeycloak(options: StartKeycloakOptions = {}): Promise<KeycloakHarness> {
  const reason = keycloakUnavailableReason();
  if (reason !== undefined) throw new Error(`keycloak tier unavailable: ${reason}`);
  const realm = options.realm ?? 'thinkube';
  const runDir = await mkdtemp(join(tmpdir(), 'thinkube-keycloak-'));
  const users = {
    admin: user('admin', 'Ada', 'Admin', [TEST_GROUPS.admins]),
    user: user('jovyan', 'Jo', 'Vyan', [TEST_GROUPS.users]),
    colleague: user('bo', 'Bo', 'Colleague', [TEST_GROUPS.users]),
    outsider: user('ursula', 'Ursula', 'Outsider', []),
  };
  await mkdir(join(runDir, 'import'));
  await writeFile(join(runDir, 'import', `${realm}-realm.json`), JSON.stringify(testRealm(realm, Object.values(users))), { mode: 0o600 });
  const admin = { username: 'admin', password: randomBytes(16).toString('hex') };
  const httpPort = await freePort();
  const managementPort = await freePort(httpPort);
  const httpsPort = await freePort(httpPort, managementPort);
  const tls = options.https ? await makeCertificates(runDir) : undefined;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KEYCLOAK_HTTP_PORT: String(httpPort),
    KEYCLOAK_MANAGEMENT_PORT: String(managementPort),
    KC_BOOTSTRAP_ADMIN_USERNAME: admin.username,
    KC_BOOTSTRAP_ADMIN_PASSWORD: admin.password,
    ...(tls ? { KEYCLOAK_HTTPS_PORT: String(httpsPort), KEYCLOAK_TLS_CERT: tls.certFile, KEYCLOAK_TLS_KEY: tls.keyFile } : {}),
  };
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await run(['stop', runDir], env, 60_000);
    await rm(runDir, { recursive: true, force: true });
  };
  const started = performance.now();
  const result = await run(['start', runDir], env, 300_000);
  if (result.code !== 0) {
    await stop();
    throw new Error(`keycloak.sh start failed (${result.code}): ${result.stderr.trim()}`);
  }
  return {
    url: `http://127.0.0.1:${httpPort}`,
    httpsUrl: tls ? `https://127.0.0.1:${httpsPort}` : undefined,
    caFile: tls?.caFile,
    managementUrl: `http://127.0.0.1:${managementPort}`,
    admin,
    realm,
    users,
    startSeconds: (performance.now() - started) / 1000,
    runDir,
    stop,
  };
}
