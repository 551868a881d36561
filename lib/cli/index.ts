import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ExitCode } from '../bootstrap/exit-codes.js';
import { COMMANDS } from './commands.js';
import type { CliIo } from './io.js';

const PROGRAM = 'thinkube-jupyterhub';

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return [
    `usage: ${PROGRAM} <command> [options]`,
    '',
    'commands:',
    ...Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`),
    '',
    `Run '${PROGRAM} <command> --help' for the options of a command.`,
  ].join('\n');
}

/** Dispatches `argv` (without node and script) to a subcommand; returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(`${usage()}\n`);
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  const entry = COMMANDS[name];
  if (entry === undefined) {
    io.stderr.write(`${PROGRAM}: unknown command "${name}"\n${usage()}\n`);
    return ExitCode.usage;
  }
  return (await entry.load()).run(rest, io);
}

function isMain(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/** The process entry point: runs the command and sets the exit code (130 on Ctrl-C). */
export async function main(argv: readonly string[]): Promise<void> {
  // Every step is one atomic request or file rename: stopping between steps
  // leaves a state that the next run completes.
  process.once('SIGINT', () => {
    process.stderr.write(`\n${PROGRAM}: interrupted; nothing is half-written, run the command again to finish\n`);
    process.exit(130);
  });
  process.exitCode = await runCli(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
}

if (isMain()) await main(process.argv.slice(2));
