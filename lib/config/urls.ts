import type { Config } from './config.js';

/**
 * The URLs both the hub's values and the Keycloak bootstrap must agree on,
 * built in one place: a callback that differed between the two would fail
 * every login with Keycloak's "Invalid redirect_uri".
 */

/** The Keycloak endpoint of the configured realm, e.g. `auth` or `token`. */
export function keycloakEndpoint(config: Config, endpoint: string): string {
  return `${config.keycloak.url}/realms/${encodeURIComponent(config.keycloak.realm)}/protocol/openid-connect/${endpoint}`;
}

/**
 * Keycloak's logout URL in the form Keycloak 18+ accepts: `post_logout_redirect_uri`
 * plus `client_id` (the old `redirect_uri` parameter was removed).
 */
export function keycloakLogoutUrl(config: Config): string {
  const query = new URLSearchParams({
    post_logout_redirect_uri: config.keycloak.logoutRedirectUrl,
    client_id: config.keycloak.clientId,
  });
  return `${keycloakEndpoint(config, 'logout')}?${query}`;
}

/**
 * Where Keycloak may send the browser after logout: the URL the hub's logout
 * link names (`post_logout_redirect_uri`) and the hub itself.
 */
export function postLogoutRedirectUris(config: Config): string[] {
  return [...new Set([config.keycloak.logoutRedirectUrl, config.hubUrl, `${config.hubUrl}/*`])];
}

/** The hub's OAuth callback URL, as GenericOAuthenticator sends it and Keycloak must list it as a redirect URI. */
export function oauthCallbackUrl(config: Config): string {
  return `${config.hubUrl}/hub/oauth_callback`;
}
