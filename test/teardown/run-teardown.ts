import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CommandOutput, runCliInProcess } from '../support/process.js';

export type CliRun = CommandOutput;

/** Runs `thinkube-jupyterhub <args>` through the dispatcher, in a folder without a config file unless `env` names one. */
export function runCommand(args: string[], env: NodeJS.ProcessEnv, cwd = mkdtempSync(join(tmpdir(), 'tjh-cli-'))): Promise<CliRun> {
  return runCliInProcess(args, env, cwd);
}
