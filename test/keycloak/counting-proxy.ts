/**
 * A reverse proxy on 127.0.0.1 in front of the real Keycloak: it records
 * every request (to count them and to assert that a run wrote nothing) and
 * can fail chosen requests with a 5xx before they reach Keycloak (to prove
 * the retries). It forwards everything else unchanged.
 */
import { type IncomingMessage, type ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** The status Keycloak (or an injected failure) answered. */
  status?: number;
}

export interface CountingProxy {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Forgets the recorded requests. */
  reset(): void;
  /** Requests that change state: anything but GET, and not the token endpoint. */
  writes(): RecordedRequest[];
  /** Answers the next `count` requests with `status` instead of forwarding them; status 0 drops the connection. */
  failNext(count: number, status?: number): void;
  /** Runs before a request is forwarded (e.g. to revoke the caller's session mid-run). */
  beforeForward?: (request: RecordedRequest) => Promise<void>;
  close(): Promise<void>;
}

const TOKEN_PATH = /\/protocol\/openid-connect\/token$/;

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  let failures: { count: number; status: number } = { count: 0, status: 503 };
  const requests: RecordedRequest[] = [];

  const forward = (incoming: IncomingMessage, outgoing: ServerResponse, record: RecordedRequest): void => {
    const proxied = request({
      host: upstream.hostname,
      port: upstream.port,
      method: incoming.method,
      path: incoming.url,
      headers: incoming.headers,
    }, (answer) => {
      record.status = answer.statusCode;
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    proxied.on('error', () => {
      record.status = 502;
      outgoing.writeHead(502).end();
    });
    incoming.pipe(proxied);
  };

  const proxy: CountingProxy = {
    url: '',
    requests,
    reset: () => { requests.length = 0; },
    writes: () => requests.filter((r) => r.method !== 'GET' && !TOKEN_PATH.test(r.path.split('?')[0])),
    failNext: (count, status = 503) => { failures = { count, status }; },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };

  const server = createServer((incoming, outgoing) => {
    const record: RecordedRequest = { method: incoming.method ?? 'GET', path: incoming.url ?? '/' };
    requests.push(record);
    if (failures.count > 0) {
      failures.count -= 1;
      record.status = failures.status;
      incoming.resume();
      if (failures.status === 0) {
        incoming.socket.destroy();
        return;
      }
      outgoing.writeHead(failures.status, { 'content-type': 'application/json' }).end('{"error":"injected by the test proxy"}');
      return;
    }
    const hook = proxy.beforeForward?.(record) ?? Promise.resolve();
    hook.then(() => forward(incoming, outgoing, record), () => outgoing.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(proxy, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}
