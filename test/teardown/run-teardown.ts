import { type CommandOutput, runCliInProcess } from '../support/process.js';
import { tempDir } from '../support/temp-dir.js';

export type CliRun = CommandOutput;

/** Runs `thinkube-jupyterhub <args>` through the dispatcher, in a folder without a config file unless `env` names one. */
export function runCommand(args: string[], env: NodeJS.ProcessEnv, cwd = tempDir('tjh-cli')): Promise<CliRun> {
  return runCliInProcess(args, env, cwd);
}
