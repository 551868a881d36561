import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation.js';
import { type Config, oauthCallbackUrl, postLogoutRedirectUris } from '../../config/index.js';
import { OWNER } from '../owner.js';
import { OWNER_ATTRIBUTE } from './client-ownership.js';

/** Keycloak keeps a client's post-logout redirect URIs in this attribute, joined by '##'. */
export const POST_LOGOUT_ATTRIBUTE = 'post.logout.redirect.uris';

/**
 * The fields of the hub's OIDC client that this command owns (spec:
 * 10_configure_keycloak.yaml). Everything else on the client is left as
 * Keycloak or an administrator set it.
 */
export function desiredClient(config: Config): ClientRepresentation {
  return {
    clientId: config.keycloak.clientId,
    enabled: true,
    protocol: 'openid-connect',
    publicClient: false,
    bearerOnly: false,
    clientAuthenticatorType: 'client-secret',
    standardFlowEnabled: true,
    // The spec enables direct access grants (token exchange from notebooks).
    directAccessGrantsEnabled: true,
    implicitFlowEnabled: false,
    serviceAccountsEnabled: false,
    fullScopeAllowed: true,
    redirectUris: [oauthCallbackUrl(config)],
    webOrigins: [config.hubUrl],
    attributes: { [POST_LOGOUT_ATTRIBUTE]: postLogoutRedirectUris(config).join('##'), [OWNER_ATTRIBUTE]: OWNER },
  };
}

/** Client scopes the client must have as defaults; `openid` is implicit in Keycloak, not a scope. */
export function desiredDefaultScopes(config: Config): string[] {
  return config.keycloak.scopes.filter((scope) => scope !== 'openid');
}
