/** Environment variables that override the common fields (applied after the config file). */
export const ENVIRONMENT_OVERRIDES: Readonly<Record<string, readonly string[]>> = {
  THINKUBE_DOMAIN_NAME: ['domainName'],
  JUPYTERHUB_NAMESPACE: ['namespace'],
  JUPYTERHUB_HOSTNAME: ['hostname'],
  JUPYTERHUB_URL: ['hubUrl'],
  JUPYTERHUB_CHART_VERSION: ['chart', 'version'],
  JUPYTERHUB_CLIENT_ID: ['keycloak', 'clientId'],
  KEYCLOAK_URL: ['keycloak', 'url'],
  KEYCLOAK_REALM: ['keycloak', 'realm'],
  ADMIN_USERNAME: ['keycloak', 'adminUsername'],
  HARBOR_REGISTRY: ['harbor', 'registry'],
  THINKUBE_CONTROL_URL: ['thinkubeControl', 'url'],
};

/** Returns `input` with the environment overrides set (a new object; input is not changed). */
export function applyEnvironment(input: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const result = structuredClone(input);
  for (const [variable, path] of Object.entries(ENVIRONMENT_OVERRIDES)) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    let node = result;
    for (const key of path.slice(0, -1)) {
      const child = node[key];
      node[key] = child !== null && typeof child === 'object' ? child : {};
      node = node[key] as Record<string, unknown>;
    }
    node[path[path.length - 1]] = value;
  }
  return result;
}
