/** One problem in the configuration: the field, the value found and what is valid. */
export interface ConfigProblem {
  readonly field: string;
  readonly value: unknown;
  readonly message: string;
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/** Every problem found in a configuration, reported together. */
export class ConfigError extends Error {
  constructor(public readonly problems: readonly ConfigProblem[], source = 'configuration') {
    super([
      `invalid ${source} (${problems.length} problem${problems.length === 1 ? '' : 's'}):`,
      ...problems.map((p) => `  - ${p.field}: ${show(p.value)} ${p.message}`),
    ].join('\n'));
    this.name = 'ConfigError';
  }
}
