import type { ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CommandOutput, runCliInProcess, runProcess } from '../support/process.js';

export type CliResult = CommandOutput;

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'thinkube-jupyterhub.js');

/** Runs the CLI in this process (fast: no tsx start-up) with its own environment and working directory. */
export const runInProcess = (args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CliResult> => runCliInProcess(args, env, cwd);

/** Runs the package's bin as a user would, in a child process (`onSpawn` may signal it). */
export function runBin(args: string[], env: NodeJS.ProcessEnv, cwd: string, onSpawn?: (child: ChildProcess) => void, script = bin): Promise<CliResult> {
  return runProcess(process.execPath, [script, ...args], { env, cwd, timeoutMs: 60_000, onSpawn });
}
