/** Where a bootstrap command writes its one line per step. */
export interface Reporter {
  /** One step and its outcome: `keycloak client jupyterhub: created`. */
  step(name: string, outcome: string): void;
  warn(message: string): void;
}

const MASK = '***';
const MIN_SECRET_LENGTH = 6;

/**
 * Writes steps to `out` and warnings to `err`, replacing every secret value it
 * was told about, so that a message built from a server response can never
 * leak one.
 */
export class StreamReporter implements Reporter {
  private readonly secrets = new Set<string>();

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly err: NodeJS.WritableStream,
  ) {}

  /** Registers a value that must never appear in the output. */
  addSecret(value: string | undefined): void {
    // Masking a very short value would garble ordinary words and hide nothing.
    if (value !== undefined && value.length >= MIN_SECRET_LENGTH) this.secrets.add(value);
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join(MASK);
    return result;
  }

  step(name: string, outcome: string): void {
    this.out.write(`${this.redact(`${name}: ${outcome}`)}\n`);
  }

  warn(message: string): void {
    this.err.write(`${this.redact(`WARNING: ${message}`)}\n`);
  }
}
