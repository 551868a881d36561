import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { type Config, resolveConfig } from '../config/index.js';

/** A construct this one is built on, and the configuration it was built with. */
export interface ConfigSource {
  /** How the error names it, e.g. `props.storage`. */
  readonly name: string;
  readonly config: Config;
}

/** The first path where two JSON-like values differ, with both values; undefined when equal. */
function firstDifference(a: unknown, b: unknown, path: string): { path: string; a: unknown; b: unknown } | undefined {
  if (Object.is(a, b)) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return { path, a, b };
  }
  // The namespace first: the difference that matters most, and the one the others follow from.
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort((x, y) => Number(y === 'namespace') - Number(x === 'namespace') || x.localeCompare(y));
  for (const key of keys) {
    const found = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return undefined;
}

/** The namespace of the enclosing cdk8s Chart, when it sets one. */
function chartNamespace(scope: Construct): string | undefined {
  try {
    return Chart.of(scope).namespace;
  } catch {
    return undefined; // not inside a Chart (yet): nothing to honour
  }
}

/**
 * The configuration of a construct: the one given, else the one of the
 * constructs it is built on, else the example configuration in the
 * enclosing Chart's namespace. Refuses, naming both values and the fix, a
 * configuration that differs from a source's or a namespace that differs
 * from the enclosing Chart's: the objects would not fit together.
 */
export function composedConfig(scope: Construct, construct: string, given: Config | undefined, sources: readonly ConfigSource[] = []): Config {
  const namespace = chartNamespace(scope);
  const config = given ?? sources[0]?.config ?? resolveConfig(namespace === undefined ? {} : { namespace });
  for (const source of sources) {
    if (source.config === config) continue;
    const difference = firstDifference(config, source.config, '');
    if (difference) {
      throw new Error(`${construct}: config.${difference.path} is ${JSON.stringify(difference.a)}, but ${source.name} was built with `
        + `${JSON.stringify(difference.b)}; pass the same config to both, or leave ${construct}'s config out to take ${source.name}'s`);
    }
  }
  if (namespace !== undefined && namespace !== config.namespace) {
    throw new Error(`${construct}: config.namespace is ${JSON.stringify(config.namespace)}, but the enclosing Chart's namespace is `
      + `${JSON.stringify(namespace)}; set config.namespace to ${JSON.stringify(namespace)}, or leave the config out to take the Chart's`);
  }
  return config;
}
