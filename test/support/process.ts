import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { PassThrough } from 'node:stream';
import { runCli } from '../../lib/cli/index.js';

/** What a command did: its exit code and everything it wrote. */
export interface CommandOutput {
  /** The exit code; 128 + the signal's number when a signal ended the process, as a shell reports it. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time in milliseconds. */
  readonly ms: number;
}

export interface ProcessResult extends CommandOutput {
  /** The signal that ended the process, or null when it exited on its own. */
  readonly signal: NodeJS.Signals | null;
}

export interface ProcessOptions {
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default - this process's working directory */
  readonly cwd?: string;
  /** Written to the child's stdin, which is then closed. @default - stdin is not connected */
  readonly input?: string;
  /** The child gets SIGTERM after this long. @default 120000 */
  readonly timeoutMs?: number;
  /** Called with the child as soon as it is spawned, e.g. to signal it later. */
  readonly onSpawn?: (child: ChildProcess) => void;
}

/**
 * Runs a command in a child process and collects its output. Resolves
 * whatever the exit code (check `code`); rejects only when the command cannot
 * be started.
 */
export function runProcess(command: string, args: readonly string[], options: ProcessOptions = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 120_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({
      code: code ?? 128 + (signal === null ? 0 : constants.signals[signal]),
      signal,
      stdout,
      stderr,
      ms: performance.now() - started,
    }));
    if (child.stdin) {
      // A command that exits without reading its input (an early error) closes the
      // pipe: the exit code and stderr tell what happened, not the EPIPE.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
    options.onSpawn?.(child);
  });
}

function collector(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** Runs `thinkube-jupyterhub <args>` in this process (no start-up cost) with its own environment and working directory. */
export async function runCliInProcess(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CommandOutput> {
  const out = collector();
  const err = collector();
  const started = performance.now();
  const code = await runCli(args, { stdout: out.stream, stderr: err.stream, env, cwd });
  return { code, stdout: out.text(), stderr: err.text(), ms: performance.now() - started };
}

/** A long-running process (a controller) whose output goes to a log file. */
export interface BackgroundProcess {
  readonly child: ChildProcess;
  /** The last `lines` lines of its log. */
  logTail(lines?: number): string;
  /** SIGTERM, then SIGKILL after 10 s; resolves when it has exited (at once if it already has). */
  stop(): Promise<void>;
}

/** Starts `command` with only `env` (no inherited KUBECONFIG or NAMESPACE), stdout and stderr appended to `logFile`. */
export function startInBackground(command: string, args: readonly string[], env: NodeJS.ProcessEnv, logFile: string): BackgroundProcess {
  const out = openSync(logFile, 'a');
  const child = spawn(command, args, { env, stdio: ['ignore', out, out] });
  closeSync(out);
  return {
    child,
    logTail: (lines = 30) => readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
