/**
 * The whole chain: real Keycloak → `npm run bootstrap:keycloak` → `npm run
 * synth` → a real JupyterHub 5.5 configured from the HelmChart's values →
 * Debian's headless chromium.
 *
 * The hub runs as the chart runs it (hub-process.ts, test/python/run_chart_hub.py):
 * helm renders the chart, the chart's own jupyterhub_config.py and z2jh.py run
 * unmodified from the hub ConfigMap and Secret laid out where the Deployment
 * mounts them, with the Deployment's args and env, on the curl HTTP client,
 * with the idle-culler service, and configurable-http-proxy runs with the
 * proxy Deployment's command. What differs from a cluster, and why:
 * - the pods share one network namespace of their own (no pod network here),
 *   joined to the host's loopback by unix-socket bridges, and the Service
 *   names resolve through /etc/hosts to 127.0.0.1 (no cluster DNS);
 * - configurable-http-proxy is the npm package, and JupyterHub the hub venv's
 *   (no container images);
 * - KubeSpawner authenticates with the admin kubeconfig, not the hub's
 *   ServiceAccount token (no kubelet to mount it);
 * - the hub's working directory is a temp dir standing for the sqlite PVC.
 * The user's Pod is created by the real KubeSpawner and stays Pending (no
 * node); the test asserts on that Pod.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/run-synth.js';
import { find, valuesOf } from '../support/synth.js';
import { tierUnavailable } from '../support/tier.js';
import { ARTIFACTS, clickSignIn, launchChromium, logIn, openKeycloakLogin, screenshot } from './browser.js';
import { type HubProcess, startHub } from './hub-process.js';
import { NAMESPACE, type Stack, e2eUnavailableReason, startStack } from './stack.js';

// The fake thinkube-control's images carry display names and a registry
// (harbor.example.com) that the fallback profile (custom.images.fallback under
// harbor.e2e.test) does not have: the form and the Pod show where they came from.
const ML_CPU = { name: 'tk-jupyter-ml-cpu', label: 'Machine Learning (CPU)', ref: 'harbor.example.com/library/tk-jupyter-ml-cpu:latest' };

function branding(file: string): string {
  return readFileSync(join(REPO, 'lib', 'branding', file), 'utf8');
}

/** The user the hub's page was rendered for (JupyterHub's window.jhdata.user). */
async function pageUser(page: Page): Promise<string | undefined> {
  return page.evaluate(() => (globalThis as any).jhdata.user);
}

/** Whether the navbar offers the admin page (shown for the admin-ui scope). */
async function adminLink(page: Page): Promise<boolean> {
  return (await page.locator('a.nav-link[href="/hub/admin"]').count()) === 1;
}

describe.skipIf(tierUnavailable('e2e', e2eUnavailableReason()))('end to end: chromium → Keycloak → JupyterHub from the synthesized values', () => {
  const started = performance.now();
  let stack: Stack;
  let browser: Browser;
  const hubStarts: number[] = [];

  async function hubWith(values: Record<string, unknown>): Promise<HubProcess> {
    const begun = performance.now();
    const hub = await startHub({
      python: stack.python, values, port: stack.hubPort, namespace: NAMESPACE,
      chartVersion: (find(stack.manifests, 'HelmChart') as any).spec.version,
      kubeconfig: stack.kube.kubeconfig, kubectl: stack.kube.kubectlPath,
      reach: [stack.keycloak.url, stack.kube.server, stack.control.baseUrl].map((u) => Number(new URL(u).port)),
    });
    hubStarts.push(Math.round((performance.now() - begun) / 100) / 10);
    return hub;
  }

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    const timings = { ...stack?.seconds, hubStarts, totalSeconds: Math.round((performance.now() - started) / 100) / 10 };
    console.log(`[e2e] timings ${JSON.stringify(timings)}`);
    await mkdir(ARTIFACTS, { recursive: true });
    await writeFile(join(ARTIFACTS, 'timings.json'), JSON.stringify(timings, null, 2));
  }, 120_000);

  describe('the hub as synthesized', () => {
    let hub: HubProcess;
    let userContext: BrowserContext;
    let userPage: Page;

    beforeAll(async () => {
      hub = await hubWith(valuesOf(stack.manifests));
    }, 120_000);
    afterAll(async () => {
      await userContext?.close();
      await hub?.stop();
    }, 60_000);

    it('the bootstrap stored the client secret in the Secret and printed no secret', async () => {
      const secret = JSON.parse(await stack.kube.kubectlOk(['-n', NAMESPACE, 'get', 'secret', 'jupyterhub-oidc-secret', '-o', 'json']));
      const clientSecret = Buffer.from(secret.data.client_secret, 'base64').toString();
      expect(clientSecret.length).toBeGreaterThanOrEqual(16);
      // Booleans, so that a failure does not print the secret.
      expect(stack.bootstrapOutput.includes(clientSecret), 'the bootstrap output holds the client secret').toBe(false);
      expect((await hub.log()).includes(clientSecret), 'the hub log holds the client secret').toBe(false);
    });

    it('the admin logs in through Keycloak, lands on the hub as preferred_username and sees the admin page', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${hub.url}/hub/login`);
      expect(await page.locator('link[href^="/hub/static/css/thinkube.css"]').count()).toBe(1);
      await screenshot(page, 'login-page');
      expect(await (await fetch(`${hub.url}/hub/logo`)).text()).toBe(branding('thinkube-ai-lab-logo.svg'));
      expect(await (await fetch(`${hub.url}/hub/static/css/thinkube.css`)).text()).toBe(branding('thinkube.css'));

      await logIn(page, hub, stack.keycloak.users.admin);
      await page.goto(`${hub.url}/hub/home`);
      expect(await pageUser(page)).toBe(stack.keycloak.users.admin.username);
      expect(await adminLink(page)).toBe(true);

      const admin = await page.goto(`${hub.url}/hub/admin`);
      expect(admin?.status()).toBe(200);
      // The admin UI renders the user list from the REST API, which only an admin may read.
      await page.locator('[data-testid="user-row-name"]', { hasText: stack.keycloak.users.admin.username }).first().waitFor();
      await page.locator('#shutdown-button').waitFor();
      await context.close();
    }, 90_000);

    it('the ordinary user is refused the admin page, gets the branded spawn form with thinkube-control\'s options, and the spawn creates the Pod', async () => {
      const user = stack.keycloak.users.user;
      userContext = await browser.newContext();
      userPage = await userContext.newPage();
      await logIn(userPage, hub, user);
      await userPage.goto(`${hub.url}/hub/home`);
      expect(await pageUser(userPage)).toBe(user.username);
      expect(await adminLink(userPage)).toBe(false);
      expect(await userPage.locator('img.jpy-logo').getAttribute('src')).toBe('/hub/logo');
      await screenshot(userPage, 'home-page');
      expect((await userPage.goto(`${hub.url}/hub/admin`))?.status()).toBe(403);

      await userPage.goto(`${hub.url}/hub/spawn`);
      const form = userPage.locator('form#spawn_form');
      const formText = await form.innerText();
      expect(formText).toContain('Custom Resource Allocation');
      expect(formText).not.toContain('Live cluster data is unavailable');
      expect(await form.locator('option', { hasText: ML_CPU.label }).count()).toBe(1);
      expect(await form.locator('option', { hasText: 'gpu-node-1' }).count()).toBe(1);
      await screenshot(userPage, 'spawn-form');
      expect((await stack.control.requests())['/images/jupyter']).toBeGreaterThan(0);

      await form.locator('select[name$="--image"]').selectOption(ML_CPU.name);
      await form.locator('[type=submit]').click();
      await userPage.waitForURL(`${hub.url}/hub/spawn-pending/${user.username}**`);
      const pod = await waitForPod(`jupyter-${user.username}`);
      expect(pod.status.phase).toBe('Pending');
      const notebook = pod.spec.containers.find((c: any) => c.name === 'notebook');
      expect(notebook.image).toBe(ML_CPU.ref);
      expect(notebook.env).toContainEqual({ name: 'JUPYTERHUB_USER', value: user.username });
      expect(pod.spec.serviceAccountName).toBe('jupyter-service-discovery');
      expect(pod.spec.automountServiceAccountToken).toBe(false);
      expect(pod.spec.initContainers.map((c: any) => c.name)).toEqual(
        expect.arrayContaining(['fix-permissions', 'clone-examples', 'service-discovery']));
      // The chart's labels, which its NetworkPolicies select on, and its iptables container last.
      expect(pod.metadata.labels).toMatchObject({ release: 'jupyterhub', component: 'singleuser-server' });
      expect(pod.spec.initContainers.at(-1).name).toBe('block-cloud-metadata');
    }, 120_000);

    it('the chart\'s idle culler runs with the configured timeouts and reads the hub API with its role', async () => {
      // It lists users with ready servers only: the pending one (no node here) is left alone.
      // Culling a running server, and the pod going away, needs a node (test/node).
      // JupyterHub's access log masks the query (state=[secret]).
      const cullerVisit = /200 GET \/hub\/api\/users\?state=\S* \(jupyterhub-idle-culler@/;
      const deadline = Date.now() + 30_000;
      let log = '';
      while (Date.now() < deadline) {
        log = await hub.log();
        if (cullerVisit.test(log)) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(log).toMatch(/Starting service 'jupyterhub-idle-culler'.*--timeout=30.*--cull-every=5/);
      expect(log).toMatch(cullerVisit);
      expect(log).not.toMatch(/Culling server/);
    }, 60_000);

    it('logout ends the Keycloak session: the next login asks for the password again', async () => {
      // Control: without the Keycloak logout, Keycloak's session signs the user in again without a password.
      await userContext.clearCookies({ name: /^jupyterhub/ });
      const silent = userPage.waitForResponse((r) => r.url().includes('/hub/oauth_callback'));
      await clickSignIn(userPage, hub);
      expect((await silent).status()).toBe(302);
      await userPage.goto(`${hub.url}/hub/home`);
      expect(await pageUser(userPage)).toBe(stack.keycloak.users.user.username);

      await userPage.goto(`${hub.url}/hub/logout`);
      await userPage.waitForURL(`${stack.keycloak.url}/**`);
      await userPage.locator('#kc-logout').click();
      await userPage.waitForURL(`${hub.url}/**`);
      await openKeycloakLogin(userPage, hub);
      expect(await userPage.locator('#password').isVisible()).toBe(true);
    }, 60_000);

    async function waitForPod(name: string): Promise<any> {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const result = await stack.kube.kubectl(['-n', NAMESPACE, 'get', 'pod', name, '-o', 'json']);
        if (result.code === 0) return JSON.parse(result.stdout);
        if (Date.now() > deadline) throw new Error(`KubeSpawner created no Pod ${name}: ${result.stderr}\n${await hub.log()}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  });

  describe('each misconfiguration fails the login with a message naming its cause', () => {
    async function loginWith(values: Record<string, any>, who: 'admin' | 'user'): Promise<void> {
      const hub = await hubWith(values);
      const context = await browser.newContext();
      try {
        await logIn(await context.newPage(), hub, stack.keycloak.users[who]);
      } finally {
        await context.close();
        await hub.stop();
      }
    }

    it('no allow rule (allow_all removed)', async () => {
      const values = valuesOf(stack.manifests);
      delete values.hub.config.Authenticator.allow_all;
      await expect(loginWith(values, 'user')).rejects.toThrow(/403 .*no allow rule admits the user/);
    }, 120_000);

    it('a callback URL that Keycloak does not know (hubUrl changed without running the bootstrap again)', async () => {
      const moved = `http://localhost:${stack.hubPort}`;
      const manifests = stack.synth({ ...stack.config, hubUrl: moved });
      await expect(loginWith(valuesOf(manifests), 'user')).rejects.toThrow(/Invalid redirect uri.*run the bootstrap again/);
    }, 120_000);

    // Last, because it leaves the Secret wrong (patching in only the wrong value, the real one never passes through the test).
    it('a client secret that is not the client\'s', async () => {
      const wrong = Buffer.from(`not-the-secret-${randomBytes(4).toString('hex')}`).toString('base64');
      await stack.kube.kubectlOk(['-n', NAMESPACE, 'patch', 'secret', 'jupyterhub-oidc-secret', '--type', 'merge',
        '-p', JSON.stringify({ data: { client_secret: wrong } })]);
      await expect(loginWith(valuesOf(stack.manifests), 'user')).rejects.toThrow(/OAUTH_CLIENT_SECRET from the Secret does not match/);
    }, 120_000);
  });
});
