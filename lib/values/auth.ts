import { type Config, keycloakEndpoint, keycloakLogoutUrl, oauthCallbackUrl, usesGroups } from '../config/index.js';
import type { Values } from './merge.js';

/**
 * Group-based login and admin rights (OAuthenticator 17): `manage_groups` is
 * required by `allowed_groups`, `admin_groups` and `auth_state_groups_key`
 * (the authenticator refuses to construct otherwise). The groups come from the
 * userinfo answer (`oauth_user` in the in-memory auth state), so no persisted
 * auth state and no crypt key are needed; a membership change applies at the
 * next login.
 * @see https://oauthenticator.readthedocs.io/en/stable/reference/api/gen/oauthenticator.generic.html
 */
function groupValues(config: Config): Values {
  const { keycloak } = config;
  if (!usesGroups(keycloak)) return {};
  return {
    manage_groups: true,
    auth_state_groups_key: `oauth_user.${keycloak.groupsClaim.name}`,
    ...(keycloak.allowedGroups.length > 0 ? { allowed_groups: [...keycloak.allowedGroups] } : {}),
    ...(keycloak.adminGroups.length > 0 ? { admin_groups: [...keycloak.adminGroups] } : {}),
  };
}

/**
 * GenericOAuthenticator against Keycloak. The client secret never enters the
 * values: the hub reads it from `OAUTH_CLIENT_SECRET`, set from the OIDC Secret.
 * Without `keycloak.allowedGroups` every realm user may log in (`allow_all`);
 * admin groups alone only grant admin rights.
 */
export function authValues(config: Config): Values {
  const { keycloak } = config;
  return {
    hub: {
      config: {
        JupyterHub: { authenticator_class: 'generic-oauth' },
        Authenticator: {
          admin_users: [...config.adminUsers],
          ...(keycloak.allowedGroups.length > 0 ? {} : { allow_all: true }),
        },
        GenericOAuthenticator: {
          client_id: keycloak.clientId,
          oauth_callback_url: oauthCallbackUrl(config),
          authorize_url: keycloakEndpoint(config, 'auth'),
          token_url: keycloakEndpoint(config, 'token'),
          userdata_url: keycloakEndpoint(config, 'userinfo'),
          logout_redirect_url: keycloakLogoutUrl(config),
          login_service: 'Keycloak',
          username_claim: keycloak.usernameClaim,
          scope: [...keycloak.scopes],
          ...groupValues(config),
        },
      },
      extraEnv: {
        OAUTH_CLIENT_SECRET: {
          valueFrom: { secretKeyRef: { name: keycloak.oidcSecretName, key: 'client_secret' } },
        },
      },
    },
  };
}
