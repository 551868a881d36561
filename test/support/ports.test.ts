import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from './ports.js';

const ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);

function listen(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

describe('free ports for the harnesses', () => {
  it('freePort hands out ports below the ephemeral range that a listener can bind', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 20; i++) ports.push(await freePort(...ports));
    expect(new Set(ports).size).toBe(20);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10000);
      expect(port).toBeLessThan(ephemeralLow);
      await listen(port);
    }
  });

  it('free_port in the shell harness does the same and skips the ports it is given', () => {
    const ports = execFileSync('bash', ['-c', 'source test/kube/processes.sh; a=$(free_port); b=$(free_port_except "$a"); echo "$a $b"'], {
      encoding: 'utf8',
    })
      .trim()
      .split(' ')
      .map(Number);
    expect(ports[0]).not.toBe(ports[1]);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10000);
      expect(port).toBeLessThan(ephemeralLow);
    }
  });
});
