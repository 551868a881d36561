import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation.js';
import { BootstrapError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { OWNER } from '../owner.js';

/** Client attribute that marks a client this command created (or was told to adopt). */
export const OWNER_ATTRIBUTE = 'thinkube.io/managed-by';

/**
 * Clients Keycloak creates in every realm. Making one of them the hub's client
 * turns it confidential and replaces its redirect URIs: with admin-cli in
 * realm master that ends every admin login, so no flag allows it.
 */
const BUILT_IN_CLIENT_IDS = new Set(['account', 'account-console', 'admin-cli', 'broker', 'realm-management', 'security-admin-console']);

/** Why `clientId` names a client Keycloak itself owns in `realm`, or undefined. */
function builtInReason(clientId: string, realm: string, existing: ClientRepresentation | undefined): string | undefined {
  const id = clientId.toLowerCase();
  if (BUILT_IN_CLIENT_IDS.has(id)) return 'a client Keycloak creates in every realm';
  // Realm master holds one management client per realm, named <realm>-realm.
  if (realm === 'master' && id.endsWith('-realm')) return 'the management client of a realm';
  if (existing?.attributes?.realm_client === 'true') return 'a realm management client (attribute realm_client)';
  return undefined;
}

/**
 * Refuses to reconcile a client this command must not own: a built-in
 * client (always), or an existing client without OWNER_ATTRIBUTE, which an
 * administrator or another tool made, unless `adopt` (--adopt-client) says
 * to take it over.
 */
export function checkClientOwnership(clientId: string, realm: string, existing: ClientRepresentation | undefined, adopt: boolean): void {
  const builtIn = builtInReason(clientId, realm, existing);
  if (builtIn !== undefined) {
    throw new BootstrapError(
      `keycloak.clientId "${clientId}" is ${builtIn} in realm "${realm}": the bootstrap would make it the hub's confidential client `
      + 'and replace its redirect URIs, breaking what uses it; set keycloak.clientId (JUPYTERHUB_CLIENT_ID) to a client of its own, e.g. "jupyterhub"',
      ExitCode.usage,
    );
  }
  if (existing === undefined || adopt || existing.attributes?.[OWNER_ATTRIBUTE] === OWNER) return;
  throw new BootstrapError(
    `keycloak client "${clientId}" in realm "${realm}" exists but was not created by this command (no attribute ${OWNER_ATTRIBUTE}=${OWNER}): `
    + 'a run would replace its redirect URIs, web origins, flows and post-logout URIs. '
    + 'If it is the hub\'s client (e.g. made by the Ansible playbook), run once with --adopt-client; otherwise set keycloak.clientId to a new id',
    ExitCode.usage,
  );
}
