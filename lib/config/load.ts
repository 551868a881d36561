import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { Config } from './config.js';
import { applyEnvironment } from './environment.js';
import { ConfigError } from './errors.js';
import { TOOL_DEFAULTS } from './defaults.js';
import { resolveConfig } from './resolve.js';

/** Environment variable naming the config file. */
export const CONFIG_FILE_VARIABLE = 'THINKUBE_JH_CONFIG';
/** Config file read from the working directory when the variable is unset. */
export const DEFAULT_CONFIG_FILE = TOOL_DEFAULTS.configFile;

export interface LoadedConfig {
  readonly config: Config;
  /** The file read, or undefined when only defaults and environment were used. */
  readonly file?: string;
}

function readConfigFile(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError([{ field: '(file)', value: file, message: `cannot be read as YAML: ${(error as Error).message}` }]);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError([{ field: '(file)', value: file, message: 'must hold a YAML mapping of config fields' }]);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Embedded defaults → the YAML file (`$THINKUBE_JH_CONFIG`, else
 * `./jupyterhub.config.yaml` if present) → environment overrides.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): LoadedConfig {
  const named = env[CONFIG_FILE_VARIABLE];
  let file: string | undefined;
  if (named) {
    file = resolve(cwd, named);
    if (!existsSync(file)) {
      throw new ConfigError([{ field: CONFIG_FILE_VARIABLE, value: named, message: 'names a file that does not exist: fix the path or unset the variable' }]);
    }
  } else if (existsSync(resolve(cwd, DEFAULT_CONFIG_FILE))) {
    file = resolve(cwd, DEFAULT_CONFIG_FILE);
  }
  const input = applyEnvironment(file ? readConfigFile(file) : {}, env);
  return { config: resolveConfig(input, file ? `configuration in ${file}` : 'configuration'), file };
}
