import { expect } from 'vitest';
import { ConfigError, resolveConfig } from '../../lib/index.js';

/** The problem lines of the ConfigError that resolving `input` throws; fails when it resolves. */
export function problemsOf(input: unknown): string[] {
  try {
    resolveConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message.split('\n').slice(1).map((line) => line.trim());
  }
  throw new Error('expected a ConfigError');
}
