/**
 * Debian's chromium driven by playwright-core (which never downloads a
 * browser), and the login through Keycloak with a diagnosis for each way it
 * can go wrong, so that a failing end-to-end run names its cause.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type Page, type Response, chromium } from 'playwright-core';
import type { TestUser } from '../keycloak/realm-fixture.js';
import { REPO } from '../support/run-synth.js';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(REPO, 'test-artifacts', 'e2e');

const IN_CLUSTER = join(REPO, 'test', 'e2e', 'chromium-in-cluster.sh');

/** Where the browser runs: inside the test cluster's network namespace, with host names mapped to in-cluster addresses. */
export interface BrowserPlacement {
  /** The environment that names the cluster to chromium-in-cluster.sh (KubeNode.netExec.env). */
  readonly env: Record<string, string>;
  /** Host name → address, as a DNS record of the user's network would resolve them. */
  readonly hosts: Record<string, string>;
}

export function launchChromium(placement: BrowserPlacement): Promise<Browser> {
  const rules = Object.entries(placement.hosts).map(([host, address]) => `MAP ${host} ${address}`).join(', ');
  return chromium.launch({
    executablePath: IN_CLUSTER,
    headless: true,
    args: [`--host-resolver-rules=${rules}`],
    env: { ...process.env, ...placement.env },
  });
}

/** Saves a full-page screenshot under test-artifacts/e2e/; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** What the login needs to know about the hub: its URL and, for the diagnosis, its log. */
export interface HubUnderTest {
  readonly url: string;
  log(): Promise<string>;
}

/** Opens the hub's login page and clicks "Sign in with Keycloak". */
export async function clickSignIn(page: Page, hub: HubUnderTest): Promise<void> {
  await page.goto(`${hub.url}/hub/login`);
  await page.getByText('Sign in with Keycloak', { exact: true }).click();
  await page.waitForLoadState();
}

/** clickSignIn, then checks that Keycloak shows its login form. */
export async function openKeycloakLogin(page: Page, hub: HubUnderTest): Promise<void> {
  await clickSignIn(page, hub);
  const text = await page.locator('body').innerText();
  if (/Invalid parameter: redirect_uri|Invalid redirect uri/i.test(text)) {
    const redirect = new URL(page.url()).searchParams.get('redirect_uri');
    throw new Error(`Keycloak refused the hub's redirect_uri ${redirect ?? '(unknown)'} ("Invalid redirect uri"): `
      + 'the hub\'s oauth_callback_url is not among the client\'s redirect URIs; run the bootstrap again after changing hubUrl/hostname');
  }
  if (!page.url().includes('/protocol/openid-connect/auth')) {
    throw new Error(`"Sign in with Keycloak" led to ${page.url()}, not to Keycloak's authorization endpoint`);
  }
}

/** Submits the Keycloak login form. */
export async function submitCredentials(page: Page, user: TestUser): Promise<Response> {
  const callback = page.waitForResponse((r) => r.url().includes('/hub/oauth_callback'), { timeout: 30_000 });
  await page.locator('#username').fill(user.username);
  await page.locator('#password').fill(user.password);
  await page.locator('#kc-login').click();
  return callback;
}

async function diagnose(callback: Response, hub: HubUnderTest, user: TestUser): Promise<void> {
  const status = callback.status();
  if (status === 403) {
    throw new Error(`the hub answered 403 to ${user.username} after a successful Keycloak login: no allow rule admits `
      + 'the user (OAuthenticator 16+ refuses everyone without Authenticator.allow_all or allowed_groups)');
  }
  if (status >= 400) {
    const log = await hub.log();
    if (/unauthorized_client|Invalid client credentials/i.test(log)) {
      throw new Error(`the hub's token request was refused by Keycloak (unauthorized_client, answer ${status} to the `
        + 'browser): OAUTH_CLIENT_SECRET from the Secret does not match the client\'s secret; run the bootstrap again');
    }
    throw new Error(`the hub answered ${status} on its OAuth callback; hub log:\n${log.split('\n').slice(-15).join('\n')}`);
  }
}

/** The whole login: hub → Keycloak → credentials → back on the hub, or an Error naming the cause. */
export async function logIn(page: Page, hub: HubUnderTest, user: TestUser): Promise<void> {
  await openKeycloakLogin(page, hub);
  const callback = await submitCredentials(page, user);
  await diagnose(callback, hub, user);
  await page.waitForURL(`${hub.url}/**`);
}
