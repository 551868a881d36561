import { NetworkError } from '@keycloak/keycloak-admin-client';
import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation.js';
import type ProtocolMapperRepresentation from '@keycloak/keycloak-admin-client/lib/defs/protocolMapperRepresentation.js';
import type { KeycloakSession } from './keycloak-session.js';

/** The name of the mapper this command owns; a mapper of another name is never touched. */
const GROUPS_MAPPER_NAME = 'jupyterhub-groups';

/** A group-membership mapper that puts the user's group names (not paths) in `claim`. */
function desiredGroupsMapper(claim: string): ProtocolMapperRepresentation {
  return {
    name: GROUPS_MAPPER_NAME,
    protocol: 'openid-connect',
    protocolMapper: 'oidc-group-membership-mapper',
    config: {
      'claim.name': claim,
      'full.path': 'false',
      'id.token.claim': 'true',
      'access.token.claim': 'true',
      'userinfo.token.claim': 'true',
    },
  };
}

export type MapperOutcome = 'created' | 'updated' | 'removed' | 'unchanged' | 'disabled'
  | 'would create' | 'would update' | 'would remove';

function sameMapper(current: ProtocolMapperRepresentation, desired: ProtocolMapperRepresentation): boolean {
  const config = (current.config ?? {}) as Record<string, string>;
  return current.protocolMapper === desired.protocolMapper
    && Object.entries(desired.config as Record<string, string>).every(([key, value]) => config[key] === value);
}

/** The owned mappers, oldest id first: concurrent runs all keep the same one. */
function ownedMappers(mappers: readonly ProtocolMapperRepresentation[] | undefined): (ProtocolMapperRepresentation & { id: string })[] {
  return (mappers ?? [])
    .filter((mapper): mapper is ProtocolMapperRepresentation & { id: string } => mapper.name === GROUPS_MAPPER_NAME && mapper.id !== undefined)
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Deletes a mapper; one that a concurrent run deleted first (404) is gone as wanted. */
async function deleteMapper(session: KeycloakSession, clientUuid: string, mapperId: string, action: string): Promise<void> {
  await session.call(action, async (admin) => {
    try {
      await admin.clients.delProtocolMapper({ id: clientUuid, mapperId });
    } catch (error) {
      if (!(error instanceof NetworkError && error.response.status === 404)) throw error;
    }
  });
}

/**
 * Creates the mapper; when a concurrent run created it first (409), returns
 * the one now on the client instead of failing.
 */
async function createMapper(session: KeycloakSession, clientUuid: string, desired: ProtocolMapperRepresentation): Promise<ProtocolMapperRepresentation | undefined> {
  const created = await session.call('creating the groups mapper', async (admin) => {
    try {
      await admin.clients.addProtocolMapper({ id: clientUuid }, desired);
      return true;
    } catch (error) {
      if (error instanceof NetworkError && error.response.status === 409) return false;
      throw error;
    }
  });
  if (created) return undefined;
  const mappers = await session.call('reading the client\'s mappers', (admin) => admin.clients.listProtocolMappers({ id: clientUuid }));
  const [winner] = ownedMappers(mappers);
  if (winner === undefined) throw new Error(`Keycloak answered 409 to creating mapper ${GROUPS_MAPPER_NAME} but the client has none`);
  return winner;
}

/**
 * Keeps the owned groups mapper in line with `enabled`/`claim`, using the
 * mappers in the client representation. Safe under concurrent runs: a 409 on
 * create means another run made it, and duplicates such runs left behind
 * (Keycloak does not enforce unique names across transactions) are
 * collapsed into the oldest.
 */
export async function reconcileGroupsMapper(
  session: KeycloakSession,
  client: ClientRepresentation & { id: string },
  groupsClaim: { readonly enabled: boolean; readonly name: string },
  dryRun: boolean,
): Promise<string> {
  const [first, ...duplicates] = ownedMappers(client.protocolMappers);
  const collapsed = duplicates.length === 0 ? '' : ` (${dryRun ? 'would remove' : 'removed'} ${duplicates.length} duplicate${duplicates.length > 1 ? 's' : ''})`;
  if (!dryRun) {
    for (const duplicate of duplicates) await deleteMapper(session, client.id, duplicate.id, 'removing a duplicate groups mapper');
  }
  const outcome = await reconcileOne(session, client.id, first, groupsClaim, dryRun);
  return `${outcome}${collapsed}`;
}

async function reconcileOne(
  session: KeycloakSession,
  clientUuid: string,
  existing: (ProtocolMapperRepresentation & { id: string }) | undefined,
  groupsClaim: { readonly enabled: boolean; readonly name: string },
  dryRun: boolean,
): Promise<MapperOutcome> {
  let current: ProtocolMapperRepresentation | undefined = existing;
  if (!groupsClaim.enabled) {
    if (current?.id === undefined) return 'disabled';
    if (dryRun) return 'would remove';
    await deleteMapper(session, clientUuid, current.id, 'removing the groups mapper');
    return 'removed';
  }
  const desired = desiredGroupsMapper(groupsClaim.name);
  if (current?.id === undefined) {
    if (dryRun) return 'would create';
    current = await createMapper(session, clientUuid, desired);
    if (current?.id === undefined) return 'created';
  }
  if (sameMapper(current, desired)) return 'unchanged';
  if (dryRun) return 'would update';
  const mapperId = current.id as string;
  const base = current;
  await session.call('updating the groups mapper', (admin) =>
    admin.clients.updateProtocolMapper({ id: clientUuid, mapperId }, { ...base, ...desired, id: mapperId, config: { ...base.config, ...desired.config } }));
  return 'updated';
}
