import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './run-synth.js';

export interface FakeThinkubeControl {
  /** http://127.0.0.1:<port>/api/v1 */
  readonly baseUrl: string;
  /** POST /__control: switch scenario (ok, slow, down, error500, empty, malformed, wrongTypes, missingDefaultNode). */
  scenario(scenario: string, latencyMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts test/fake-thinkube-control/server.py (stdlib Python) on a free 127.0.0.1 port. */
export async function startFakeThinkubeControl(): Promise<FakeThinkubeControl> {
  const child: ChildProcess = spawn('python3', [join(REPO, 'test/fake-thinkube-control/server.py'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = seen.match(/listening on (http:\/\/127\.0\.0\.1:\d+\/api\/v1)/);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`fake thinkube-control exited (${code}) before listening`)));
  });
  const root = baseUrl.replace(/\/api\/v1$/, '');
  return {
    baseUrl,
    async scenario(scenario, latencyMs) {
      const response = await fetch(`${root}/__control`, { method: 'POST', body: JSON.stringify({ scenario, ...(latencyMs === undefined ? {} : { latencyMs }) }) });
      if (!response.ok) throw new Error(`fake thinkube-control refused scenario ${scenario}: ${await response.text()}`);
    },
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
