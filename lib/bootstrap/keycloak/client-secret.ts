import type { KeycloakSession } from './keycloak-session.js';

/**
 * The client's current secret; a new one only when `rotate` is set (the hub
 * must then be restarted with the new Secret).
 */
export async function clientSecret(session: KeycloakSession, clientUuid: string, clientId: string, rotate: boolean): Promise<string> {
  const credential = rotate
    ? await session.call(`rotating the secret of client ${clientId}`, (admin) => admin.clients.generateNewClientSecret({ id: clientUuid }))
    : await session.call(`reading the secret of client ${clientId}`, (admin) => admin.clients.getClientSecret({ id: clientUuid }));
  if (!credential.value) throw new Error(`Keycloak returned no secret for client ${clientId}: is it confidential?`);
  return credential.value;
}
