import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation.js';
import type ProtocolMapperRepresentation from '@keycloak/keycloak-admin-client/lib/defs/protocolMapperRepresentation.js';
import type { KeycloakSession } from './keycloak-session.js';

/** The name of the mapper this command owns; a mapper of another name is never touched. */
export const GROUPS_MAPPER_NAME = 'jupyterhub-groups';

/** A group-membership mapper that puts the user's group names (not paths) in `claim`. */
export function desiredGroupsMapper(claim: string): ProtocolMapperRepresentation {
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

/** Keeps the owned groups mapper in line with `enabled`/`claim`, using the mappers in the client representation. */
export async function reconcileGroupsMapper(
  session: KeycloakSession,
  client: ClientRepresentation & { id: string },
  groupsClaim: { readonly enabled: boolean; readonly name: string },
  dryRun: boolean,
): Promise<MapperOutcome> {
  const current = (client.protocolMappers ?? []).find((mapper) => mapper.name === GROUPS_MAPPER_NAME);
  if (!groupsClaim.enabled) {
    if (current?.id === undefined) return 'disabled';
    if (dryRun) return 'would remove';
    await session.call('removing the groups mapper', (admin) => admin.clients.delProtocolMapper({ id: client.id, mapperId: current.id as string }));
    return 'removed';
  }
  const desired = desiredGroupsMapper(groupsClaim.name);
  if (current?.id === undefined) {
    if (dryRun) return 'would create';
    await session.call('creating the groups mapper', (admin) => admin.clients.addProtocolMapper({ id: client.id }, desired));
    return 'created';
  }
  if (sameMapper(current, desired)) return 'unchanged';
  if (dryRun) return 'would update';
  const mapperId = current.id;
  await session.call('updating the groups mapper', (admin) =>
    admin.clients.updateProtocolMapper({ id: client.id, mapperId }, { ...current, ...desired, id: mapperId, config: { ...current.config, ...desired.config } }));
  return 'updated';
}
