import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation.js';
import { BootstrapError } from './errors.js';
import { ExitCode } from './exit-codes.js';
import type { KeycloakSession } from './keycloak-session.js';

/**
 * Adds the missing default client scopes (by name) to the client; scopes it
 * already has, including the realm's other defaults, are kept. Returns the
 * names added (or that a dry run would add).
 */
export async function reconcileDefaultScopes(
  session: KeycloakSession,
  client: ClientRepresentation & { id: string },
  wanted: readonly string[],
  dryRun: boolean,
): Promise<string[]> {
  const present = new Set(client.defaultClientScopes ?? []);
  const missing = wanted.filter((scope) => !present.has(scope));
  if (missing.length === 0 || dryRun) return missing;
  const scopes = await session.call('reading the realm client scopes', (admin) => admin.clientScopes.find());
  for (const name of missing) {
    const scope = scopes.find((candidate) => candidate.name === name);
    if (scope?.id === undefined) {
      throw new BootstrapError(
        `keycloak.scopes: "${name}" is not a client scope of the realm: use one of ${scopes.map((s) => s.name).join(', ')}`,
        ExitCode.usage,
      );
    }
    await session.call(`adding client scope ${name}`, (admin) => admin.clients.addDefaultClientScope({ id: client.id, clientScopeId: scope.id as string }));
  }
  return missing;
}
