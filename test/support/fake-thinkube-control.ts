/**
 * The fake thinkube-control (test/support/fake-thinkube-control/server.py, stdlib
 * Python) as a child process on a free 127.0.0.1 port: the only component
 * the tests may fake. Shared by the cluster and end-to-end tiers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './run-synth.js';

const server = join(REPO, 'test', 'support', 'fake-thinkube-control', 'server.py');

export interface FakeThinkubeControl {
  /** http://127.0.0.1:<port>/api/v1, what `thinkubeControl.url` points at. */
  readonly baseUrl: string;
  /** POST /__control: switch scenario (ok, slow, down, error500, empty, malformed, wrongTypes, missingDefaultNode). */
  scenario(scenario: string, latencyMs?: number): Promise<void>;
  /** POST /__data: replace the answers of these endpoints (keyed by path, e.g. `/images/jupyter`). */
  data(answers: Record<string, unknown>): Promise<void>;
  /** Requests served per endpoint path (GET /__stats). */
  requests(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

async function waitForPort(file: string, child: ChildProcess): Promise<number> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const text = await readFile(file, 'utf8').catch(() => '');
    if (text.trim()) return Number(text.trim());
    if (child.exitCode !== null) throw new Error(`fake thinkube-control exited (${child.exitCode}) before listening`);
    if (Date.now() > deadline) throw new Error('fake thinkube-control did not listen within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function startFakeThinkubeControl(python = 'python3'): Promise<FakeThinkubeControl> {
  const dir = await mkdtemp(join(tmpdir(), 'thinkube-fake-control-'));
  const portFile = join(dir, 'port');
  const child = spawn(python, [server, '--port', '0', '--port-file', portFile], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  let root: string;
  try {
    root = `http://127.0.0.1:${await waitForPort(portFile, child)}`;
  } catch (error) {
    await stop();
    throw error;
  }
  const control = async (path: string, body?: unknown): Promise<any> => {
    const response = await fetch(`${root}${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`fake thinkube-control ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  return {
    baseUrl: `${root}/api/v1`,
    async scenario(scenario, latencyMs) {
      await control('/__control', { scenario, ...(latencyMs === undefined ? {} : { latencyMs }) });
    },
    async data(answers) {
      await control('/__data', answers);
    },
    async requests() {
      return (await control('/__stats')).requests;
    },
    stop,
  };
}
