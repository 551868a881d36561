/**
 * A Thinkube user's whole journey, every part real: Keycloak with real groups
 * → `npm run bootstrap:keycloak` → `npm run synth` → `kubectl apply` + the
 * Z2JH chart by helm → the hub and proxy as pods on the test cluster's real
 * node (test/node) → Debian's headless chromium, inside the cluster's network
 * namespace, through the proxy-public Service (no ingress controller runs
 * here: see the README's test section) → the spawn form with thinkube-control's
 * images → a notebook pod from the locally built image of its family, pulled
 * from the registry standing in for Harbor → JupyterLab.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { TestUser } from '../keycloak/realm-fixture.js';
import { helmUpgradeOnNode } from '../node/hub-install.js';
import { runSynth } from '../support/run-synth.js';
import { type Manifest, find } from '../support/synth.js';
import { tierUnavailable } from '../support/tier.js';
import { ARTIFACTS, type HubUnderTest, clickSignIn, launchChromium, logIn, openKeycloakLogin, screenshot, submitCredentials } from './browser.js';
import { runInKernel, waitForJupyterLab } from './jupyterlab.js';
import { DISCOVERED, HUB_HOST, IMAGES, MOVED_HUB_HOST, NAMESPACE, type Stack, e2eUnavailableReason, startStack } from './stack.js';

/** The user the hub's page was rendered for (JupyterHub's window.jhdata.user). */
async function pageUser(page: Page): Promise<string | undefined> {
  return page.evaluate(() => (globalThis as any).jhdata.user);
}

/** Whether the navbar offers the admin page (shown for the admin-ui scope). */
async function adminLink(page: Page): Promise<boolean> {
  return (await page.locator('a.nav-link[href="/hub/admin"]').count()) === 1;
}

/** The kernel's view, printed as JSON: the discovered variable, who runs it, and the workspace's files. */
const probe = (write?: string) => `
import json, os, pathlib
workspace = pathlib.Path.home() / "thinkube" / "notebooks"
${write ? `(workspace / ${JSON.stringify(write)}).write_text("private")` : ''}
print(json.dumps({"discovered": os.environ.get(${JSON.stringify(DISCOVERED.name)}), "uid": os.getuid(),
                  "files": sorted(os.listdir(workspace))}))
`;

describe.skipIf(tierUnavailable('e2e', e2eUnavailableReason()))('end to end on the real node: chromium → Keycloak → JupyterHub → JupyterLab', () => {
  const started = performance.now();
  let stack: Stack;
  let browser: Browser;
  let hub: HubUnderTest;
  const spawnToLab: Record<string, number[]> = {};

  beforeAll(async () => {
    stack = await startStack();
    hub = {
      url: stack.hubUrl,
      log: async () => (await stack.kube.kubectl(['-n', NAMESPACE, 'logs', 'deployment/hub', '--tail=400'])).stdout,
    };
    browser = await launchChromium({ env: stack.kube.node!.netExec.env, hosts: { [HUB_HOST]: stack.proxyAddress, [MOVED_HUB_HOST]: stack.proxyAddress } });
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    const timings = { ...stack?.seconds, spawnToLab, totalSeconds: Math.round((performance.now() - started) / 100) / 10 };
    console.log(`[e2e] timings ${JSON.stringify(timings)}`);
    await mkdir(ARTIFACTS, { recursive: true });
    await writeFile(join(ARTIFACTS, 'timings.json'), JSON.stringify(timings, null, 2));
  }, 180_000);

  async function notebookPods(username: string): Promise<any[]> {
    const list = await stack.kube.kubectlOk(['-n', NAMESPACE, 'get', 'pods', '-l', `component=singleuser-server,hub.jupyter.org/username=${username}`, '-o', 'json']);
    return JSON.parse(list).items;
  }

  async function signedIn(user: TestUser): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, hub, user);
    return { context, page };
  }

  /** Submits the spawn form with `image` and waits for JupyterLab; returns the seconds it took. */
  async function spawnFromForm(page: Page, user: TestUser, image: string): Promise<number> {
    await page.goto(`${hub.url}/hub/spawn`);
    const form = page.locator('form#spawn_form');
    await form.locator('select[name$="--image"]').selectOption(image);
    const begun = performance.now();
    await form.locator('[type=submit]').click();
    try {
      await page.waitForURL(`${hub.url}/user/${user.username}/lab**`, { timeout: 240_000 });
      await waitForJupyterLab(page);
    } catch (error) {
      const [pod] = await notebookPods(user.username);
      const described = pod ? (await stack.kube.kubectl(['-n', NAMESPACE, 'describe', 'pod', pod.metadata.name])).stdout : 'no pod';
      throw new Error(`${user.username}'s ${image} server did not reach JupyterLab (${String(error)}); page ${page.url()}\n${(await hub.log()).split('\n').slice(-30).join('\n')}\n${described}`, { cause: error });
    }
    return Math.round((performance.now() - begun) / 100) / 10;
  }

  /** Logs out through the hub and Keycloak's confirmation, then waits until the user's pod is gone. */
  async function logOutAndWaitForPodGone(page: Page, username: string): Promise<void> {
    await page.goto(`${hub.url}/hub/logout`);
    await page.waitForURL(`${stack.keycloakUrl}/**`);
    await page.locator('#kc-logout').click();
    await page.waitForURL(`${hub.url}/**`);
    const deadline = Date.now() + 90_000;
    let pods = await notebookPods(username);
    while (pods.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      pods = await notebookPods(username);
    }
    expect(pods.map((p) => p.metadata.name), `${username}'s pod after logout`).toEqual([]);
  }

  it('the bootstrap stored the client secret in the Secret and printed no secret; the hub never logs it', async () => {
    const secret = JSON.parse(await stack.kube.kubectlOk(['-n', NAMESPACE, 'get', 'secret', 'jupyterhub-oidc-secret', '-o', 'json']));
    const clientSecret = Buffer.from(secret.data.client_secret, 'base64').toString();
    expect(clientSecret.length).toBeGreaterThanOrEqual(16);
    // Booleans, so that a failure does not print the secret.
    expect(stack.bootstrapOutput.includes(clientSecret), 'the bootstrap output holds the client secret').toBe(false);
    expect((await hub.log()).includes(clientSecret), 'the hub log holds the client secret').toBe(false);
  });

  it('a member of the admin group logs in through Keycloak, is admin by the group alone, and sees the admin page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const login = await page.goto(`${hub.url}/hub/login`);
    expect(login?.status()).toBe(200);
    expect(await page.locator('link[href^="/hub/static/css/thinkube.css"]').count()).toBe(1);
    await screenshot(page, 'login-page');
    const admin = stack.keycloak.users.admin;
    expect(stack.config.adminUsers).not.toContain(admin.username);
    await logIn(page, hub, admin);
    await page.goto(`${hub.url}/hub/home`);
    expect(await pageUser(page)).toBe(admin.username);
    expect(await adminLink(page)).toBe(true);
    expect((await page.goto(`${hub.url}/hub/admin`))?.status()).toBe(200);
    // The admin UI renders the user list from the REST API, which only an admin may read.
    await page.locator('[data-testid="user-row-name"]', { hasText: admin.username }).first().waitFor();
    await context.close();
  }, 120_000);

  it('a user in no allowed group gets JupyterHub\'s 403 page after a successful Keycloak login', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await openKeycloakLogin(page, hub);
    const callback = await submitCredentials(page, stack.keycloak.users.outsider);
    expect(callback.status()).toBe(403);
    await page.waitForLoadState();
    expect(await page.locator('body').innerText()).toMatch(/403 : Forbidden/);
    expect((await notebookPods(stack.keycloak.users.outsider.username))).toEqual([]);
    await context.close();
  }, 120_000);

  for (const image of IMAGES) {
    it(`${image.name} (${image.family}): JupyterLab in the browser, the discovered variable in a kernel, a private workspace, and logout removes the pod`, async () => {
      const [a, b] = [stack.keycloak.users.user, stack.keycloak.users.colleague];
      const first = await signedIn(a);
      await first.page.goto(`${hub.url}/hub/home`);
      expect(await pageUser(first.page)).toBe(a.username);
      expect(await adminLink(first.page)).toBe(false);
      if (image === IMAGES[0]) await screenshot(first.page, 'home-page');
      expect((await first.page.goto(`${hub.url}/hub/admin`))?.status()).toBe(403);
      await first.page.goto(`${hub.url}/hub/spawn`);
      const form = first.page.locator('form#spawn_form');
      expect(await form.innerText()).not.toContain('Live cluster data is unavailable');
      expect(await form.locator('option', { hasText: image.label }).count()).toBe(1);
      expect(await form.locator('option', { hasText: stack.kube.node!.name }).count()).toBe(1);
      if (image === IMAGES[0]) await screenshot(first.page, 'spawn-form');

      (spawnToLab[image.family] ??= []).push(await spawnFromForm(first.page, a, image.name));
      const [pod] = await notebookPods(a.username);
      expect(pod.spec.nodeName).toBe(stack.kube.node!.name);
      const notebook = pod.spec.containers.find((c: any) => c.name === 'notebook');
      expect(notebook.image).toBe(`${stack.kube.node!.registry}/library/${image.name}:1`);
      expect(notebook.imagePullPolicy).not.toBe('Never');

      const file = `private-${image.name}.txt`;
      const seenByA = JSON.parse(await runInKernel(first.page, `/user/${a.username}`, probe(file)));
      expect(seenByA.discovered).toBe(DISCOVERED.value);
      expect(seenByA.uid).toBe(1000);
      expect(seenByA.files).toContain(file);
      // The file browser shows the new file after a reload: the screenshot of the docs (docs/screenshots/jupyterlab.png).
      await first.page.reload();
      await waitForJupyterLab(first.page);
      await first.page.locator('.jp-DirListing-item', { hasText: file }).waitFor();
      await screenshot(first.page, `jupyterlab-${image.name}`);
      // On the notebooks claim, in A's own folder.
      const onClaim = await stat(join(stack.kube.stateDir, 'volumes', 'jupyterhub-notebooks-pvc', 'users', a.username, file));
      expect(onClaim.uid).toBe(1000);

      const second = await signedIn(b);
      await spawnFromForm(second.page, b, image.name);
      const seenByB = JSON.parse(await runInKernel(second.page, `/user/${b.username}`, probe()));
      expect(seenByB.discovered).toBe(DISCOVERED.value);
      expect(seenByB.files).not.toContain(file);

      await logOutAndWaitForPodGone(first.page, a.username);
      await logOutAndWaitForPodGone(second.page, b.username);
      // Keycloak's session ended too: the next login asks for the password again.
      await openKeycloakLogin(first.page, hub);
      expect(await first.page.locator('#password').isVisible()).toBe(true);
      await first.context.close();
      await second.context.close();
    }, 600_000);
  }

  it('silent re-login without the Keycloak logout: the Keycloak session signs the user in without a password', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, hub, stack.keycloak.users.colleague);
    await context.clearCookies({ name: /^jupyterhub/ });
    const silent = page.waitForResponse((r) => r.url().includes('/hub/oauth_callback'));
    await clickSignIn(page, hub);
    expect((await silent).status()).toBe(302);
    await page.goto(`${hub.url}/hub/home`);
    expect(await pageUser(page)).toBe(stack.keycloak.users.colleague.username);
    await context.close();
  }, 60_000);
  describe('each misconfiguration fails the login with a message naming its cause', () => {
    async function loginFails(who: TestUser, url = hub.url): Promise<void> {
      const context = await browser.newContext();
      try {
        await logIn(await context.newPage(), { ...hub, url }, who);
      } finally {
        await context.close();
      }
    }

    it('a callback URL that Keycloak does not know (hubUrl changed without running the bootstrap again)', async () => {
      const moved = `http://${MOVED_HUB_HOST}`;
      const run = runSynth({ config: { ...stack.config, hubUrl: moved } });
      expect(run.status, run.stderr).toBe(0);
      const chart = Object.values(run.files).flatMap((text) => parseAllDocuments(text).map((d) => d.toJS() as Manifest))
        .find((m) => m?.kind === 'HelmChart')!;
      await helmUpgradeOnNode(stack.kube, chart, stack.apiToken);
      try {
        await expect(loginFails(stack.keycloak.users.user, moved)).rejects.toThrow(/Invalid redirect uri.*run the bootstrap again/);
      } finally {
        await helmUpgradeOnNode(stack.kube, find(stack.hub.manifests, 'HelmChart'), stack.apiToken);
      }
    }, 300_000);

    // Last, because it leaves the Secret wrong (patching in only the wrong value, the real one never passes through the test).
    it('a client secret that is not the client\'s', async () => {
      const wrong = Buffer.from(`not-the-secret-${randomBytes(4).toString('hex')}`).toString('base64');
      await stack.kube.kubectlOk(['-n', NAMESPACE, 'patch', 'secret', 'jupyterhub-oidc-secret', '--type', 'merge',
        '-p', JSON.stringify({ data: { client_secret: wrong } })]);
      // The hub reads OAUTH_CLIENT_SECRET from the Secret when its pod starts.
      await stack.kube.kubectlOk(['-n', NAMESPACE, 'rollout', 'restart', 'deployment/hub']);
      await stack.kube.kubectlOk(['-n', NAMESPACE, 'rollout', 'status', 'deployment/hub', '--timeout=240s'], { timeoutMs: 250_000 });
      await expect(loginFails(stack.keycloak.users.user)).rejects.toThrow(/OAUTH_CLIENT_SECRET from the Secret does not match/);
    }, 300_000);
  });
});
