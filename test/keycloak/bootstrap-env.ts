import type { KeycloakHarness } from './harness.js';

/**
 * The environment a bootstrap-keycloak run in the tests gets: the test realm
 * through `keycloakUrl` (usually a counting proxy), the bootstrap admin, the
 * example.test domain and `kubeconfig`; `overrides` win (undefined removes).
 */
export function bootstrapEnv(
  keycloak: KeycloakHarness,
  keycloakUrl: string,
  kubeconfig: string,
  overrides: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    KEYCLOAK_URL: keycloakUrl,
    KEYCLOAK_REALM: keycloak.realm,
    ADMIN_USERNAME: keycloak.admin.username,
    ADMIN_PASSWORD: keycloak.admin.password,
    THINKUBE_DOMAIN_NAME: 'example.test',
    JUPYTERHUB_HOSTNAME: 'jupyter.example.test',
    KUBECONFIG: kubeconfig,
    ...overrides,
  };
}
