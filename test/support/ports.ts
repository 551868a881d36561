import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const LOWEST = 10000;

/**
 * The first port of the kernel's ephemeral range. Ports handed out below it
 * cannot be taken by an outgoing connection between our check and the
 * listener's bind, which a port the kernel picked (listen on 0) can.
 */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > LOWEST + 1000 ? low : 32768;
  } catch {
    return 32768;
  }
}

function listensOn(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port that was free a moment ago on 127.0.0.1, below the ephemeral range, other than `taken`. */
export async function freePort(...taken: number[]): Promise<number> {
  const span = ephemeralLow() - LOWEST;
  for (let attempt = 0; attempt < 1000; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * span);
    if (!taken.includes(port) && (await listensOn(port))) return port;
  }
  throw new Error(`no free port on 127.0.0.1 between ${LOWEST} and ${LOWEST + span}`);
}
