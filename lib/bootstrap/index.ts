export { type BootstrapKeycloakOptions, bootstrapKeycloak } from './bootstrap-keycloak.js';
export { desiredClient, desiredDefaultScopes } from './desired-client.js';
export { BootstrapError } from './errors.js';
export { ExitCode } from './exit-codes.js';
export { GROUPS_MAPPER_NAME } from './groups-mapper.js';
export { FIELD_MANAGER, loadKubeConfig } from './kube-session.js';
export { type Reporter, StreamReporter } from './reporter.js';
export { DEFAULT_RETRY, type RetryPolicy } from './retry.js';
