import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../lib/cli/index.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time of the run in milliseconds. */
  readonly ms: number;
}

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'thinkube-jupyterhub.js');

function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/** Runs the CLI in this process (fast: no tsx start-up) with its own environment and working directory. */
export async function runInProcess(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CliResult> {
  const out = collector();
  const err = collector();
  const started = performance.now();
  const code = await runCli(args, { stdout: out.stream, stderr: err.stream, env, cwd });
  return { code, stdout: out.text(), stderr: err.text(), ms: performance.now() - started };
}

/** Runs the package's bin as a user would, in a child process (`onSpawn` may signal it). */
export function runBin(args: string[], env: NodeJS.ProcessEnv, cwd: string, onSpawn?: (child: ChildProcess) => void, script = bin): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [script, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr, ms: performance.now() - started }));
    onSpawn?.(child);
  });
}
