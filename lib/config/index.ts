export type { Config, SecretReference } from './config.js';
export { DEFAULTS } from './defaults.js';
export { ENVIRONMENT_OVERRIDES, applyEnvironment } from './environment.js';
export { ConfigError, type ConfigProblem } from './errors.js';
export { CONFIG_FILE_VARIABLE, DEFAULT_CONFIG_FILE, type LoadedConfig, loadConfig } from './load.js';
export { type ConfigInput, configInputSchema } from './schema.js';
export { parseConfigInput, resolveConfig, usesGroups } from './resolve.js';
export { keycloakEndpoint, keycloakLogoutUrl, oauthCallbackUrl, postLogoutRedirectUris } from './urls.js';
export { NOTEBOOK_FAMILIES, type NotebookFamily } from './validators.js';
