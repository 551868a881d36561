import { writeFileSync } from 'node:fs';
import { type AddressInfo, type Socket, createServer } from 'node:net';
import { stringify } from 'yaml';

export interface TokenKubeconfig {
  /** The name of its one cluster, user and context. */
  readonly name: string;
  /** https://host:port of the API server. */
  readonly server: string;
  /** The bearer token it presents. */
  readonly token: string;
  /** The CA that signed the server's certificate. @default - TLS verification is off */
  readonly caFile?: string;
}

/** Writes a kubeconfig (mode 0600) whose current context authenticates with a bearer token, and returns its path. */
export function writeTokenKubeconfig(file: string, options: TokenKubeconfig): string {
  const { name, server, token, caFile } = options;
  const cluster = caFile === undefined ? { server, 'insecure-skip-tls-verify': true } : { server, 'certificate-authority': caFile };
  writeFileSync(file, stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': name,
    clusters: [{ name, cluster }],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
  }), { mode: 0o600 });
  return file;
}

/** A local port that nothing listens on (bound, then released): connections to it are refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A local TCP server that accepts connections and never answers, not even the TLS handshake. */
export async function silentServer(): Promise<{ readonly port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
