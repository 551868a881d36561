import { NetworkError } from '@keycloak/keycloak-admin-client';
import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation.js';
import { diffClient } from './client-diff.js';
import { checkClientOwnership } from './client-ownership.js';
import type { KeycloakSession } from './keycloak-session.js';

export interface ClientOutcome {
  /** The client's internal id; undefined only in a dry run that would create it. */
  readonly client?: ClientRepresentation & { id: string };
  readonly action: 'created' | 'updated' | 'unchanged' | 'would create' | 'would update';
  readonly changes: readonly string[];
}

/** The client with this clientId (an exact match), or undefined. */
async function findClient(session: KeycloakSession, clientId: string): Promise<(ClientRepresentation & { id: string }) | undefined> {
  const found = await session.call(`reading client ${clientId}`, (admin) => admin.clients.find({ clientId }));
  return found.find((client): client is ClientRepresentation & { id: string } => client.clientId === clientId && client.id !== undefined);
}

/**
 * Creates the client when missing; otherwise updates it only when an owned
 * field differs, with a PUT of the current representation overlaid by the
 * desired fields (so fields set by hand elsewhere survive). A built-in client,
 * or one this command did not create and is not told to `adopt`, is refused
 * before anything is written.
 */
export async function reconcileClient(
  session: KeycloakSession,
  desired: ClientRepresentation,
  options: { readonly realm: string; readonly dryRun: boolean; readonly adopt: boolean },
): Promise<ClientOutcome> {
  const { dryRun } = options;
  const clientId = desired.clientId ?? '';
  const existing = await findClient(session, clientId);
  checkClientOwnership(clientId, options.realm, existing, options.adopt);
  if (existing === undefined) {
    if (dryRun) return { action: 'would create', changes: [] };
    await session.call(`creating client ${clientId}`, async (admin) => {
      try {
        await admin.clients.create(desired);
      } catch (error) {
        // A retried POST whose first attempt got through: the client exists now.
        if (!(error instanceof NetworkError && error.response.status === 409)) throw error;
      }
    });
    const created = await findClient(session, clientId);
    if (created === undefined) throw new Error(`client ${clientId} is missing right after it was created`);
    // A 409 may also mean someone else created it meanwhile.
    checkClientOwnership(clientId, options.realm, created, options.adopt);
    return { client: created, action: 'created', changes: [] };
  }
  const { changes, merged } = diffClient(existing, desired);
  if (changes.length === 0) return { client: existing, action: 'unchanged', changes };
  if (dryRun) return { client: existing, action: 'would update', changes };
  await session.call(`updating client ${clientId}`, (admin) => admin.clients.update({ id: existing.id }, merged));
  return { client: { ...merged, id: existing.id }, action: 'updated', changes };
}
