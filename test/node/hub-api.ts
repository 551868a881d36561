/**
 * The hub's REST API through proxy-public, from inside the cluster's network
 * namespace (curl there reaches the Service's ClusterIP, as a client of the
 * cluster's network would). The API token travels on curl's stdin, never on
 * a command line. Used by `npm run bench -- node`.
 */
import type { KubeHarness } from '../kube/harness.js';

export interface HubApi {
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: string }>;
  /** Starts `user`'s server with `options` (the spawn form's fields) and resolves when the hub reports it ready. */
  spawn(user: string, options: Record<string, string>, timeoutMs?: number): Promise<void>;
  /** Stops `user`'s server and resolves when the hub has forgotten it. */
  stopServer(user: string, timeoutMs?: number): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function hubApi(kube: KubeHarness, namespace: string, apiToken: string): Promise<HubApi> {
  const address = (await kube.kubectlOk(['-n', namespace, 'get', 'service', 'proxy-public', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
  const request: HubApi['request'] = async (method, path, body) => {
    const args = ['curl', '-sS', '-m', '20', '-X', method, '-w', '\n%{http_code}', '-K', '-', `http://${address}${path}`];
    if (body !== undefined) args.push('-H', 'Content-Type: application/json', '--data-raw', JSON.stringify(body));
    const result = await kube.node!.exec(args, { input: `header = "Authorization: token ${apiToken}"\n`, timeoutMs: 30_000 });
    if (result.code !== 0) throw new Error(`curl ${method} ${path} failed (${result.code}): ${result.stderr}`);
    const at = result.stdout.lastIndexOf('\n');
    return { status: Number(result.stdout.slice(at + 1)), body: result.stdout.slice(0, at) };
  };
  const servers = async (user: string): Promise<Record<string, { ready: boolean }>> =>
    JSON.parse((await request('GET', `/hub/api/users/${user}`)).body).servers ?? {};
  return {
    request,
    async spawn(user, options, timeoutMs = 240_000) {
      const created = await request('POST', `/hub/api/users/${user}`);
      if (![201, 409].includes(created.status)) throw new Error(`creating ${user}: ${created.status} ${created.body}`);
      const started = await request('POST', `/hub/api/users/${user}/server`, options);
      if (![201, 202].includes(started.status)) throw new Error(`starting ${user}'s server: ${started.status} ${started.body}`);
      const deadline = Date.now() + timeoutMs;
      while (!(await servers(user))['']?.ready) {
        if (Date.now() > deadline) throw new Error(`${user}'s server not ready within ${timeoutMs} ms`);
        await sleep(500);
      }
    },
    async stopServer(user, timeoutMs = 120_000) {
      await request('DELETE', `/hub/api/users/${user}/server`);
      const deadline = Date.now() + timeoutMs;
      while ((await servers(user))[''] !== undefined) {
        if (Date.now() > deadline) throw new Error(`${user}'s server not stopped within ${timeoutMs} ms`);
        await sleep(500);
      }
    },
  };
}
