/** What a subcommand may touch of its process: streams, environment, working directory. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** A subcommand: `run` returns the exit code instead of exiting, so tests can call it in-process. */
export interface CliCommand {
  run(args: readonly string[], io: CliIo): Promise<number>;
}
