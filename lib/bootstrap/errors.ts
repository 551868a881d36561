import type { ExitCode } from './exit-codes.js';

/** A failure with a message for the operator and the exit code that names its kind. */
export class BootstrapError extends Error {
  constructor(message: string, public readonly exitCode: ExitCode) {
    super(message);
    this.name = 'BootstrapError';
  }
}
