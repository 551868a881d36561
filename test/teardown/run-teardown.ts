import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../lib/cli/index.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** Runs `thinkube-jupyterhub <args>` through the dispatcher, in a folder without a config file unless `env` names one. */
export async function runCommand(args: string[], env: NodeJS.ProcessEnv, cwd = mkdtempSync(join(tmpdir(), 'tjh-cli-'))): Promise<CliRun> {
  const out = collect();
  const err = collect();
  const code = await runCli(args, { stdout: out.stream, stderr: err.stream, env, cwd });
  return { code, stdout: out.text(), stderr: err.text() };
}
