import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation.js';
import { BootstrapError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { KeycloakSession } from './keycloak-session.js';

export interface ScopesOutcome {
  /** Scopes that were not on the client and are now defaults (or would be, in a dry run). */
  readonly added: readonly string[];
  /** Scopes that were optional and are now defaults (or would be). */
  readonly madeDefault: readonly string[];
}

/** One line for the reporter; claims only what the outcome holds. */
export function describeScopes(outcome: ScopesOutcome, dryRun: boolean): string {
  const parts: string[] = [];
  if (outcome.added.length > 0) parts.push(`${dryRun ? 'would add' : 'added'} ${outcome.added.join(', ')}`);
  if (outcome.madeDefault.length > 0) parts.push(`${dryRun ? 'would make default' : 'made default'} ${outcome.madeDefault.join(', ')} (were optional)`);
  return parts.length === 0 ? 'unchanged' : parts.join('; ');
}

/**
 * Makes the wanted client scopes (by name) defaults of the client; its other
 * scopes, including the realm's other defaults, are kept. A scope that is
 * optional on the client is moved: Keycloak ignores a request to add a
 * default scope while the scope is optional, so without the move no run
 * would ever converge. The result is read back, so the report never claims
 * a change Keycloak did not make.
 */
export async function reconcileDefaultScopes(
  session: KeycloakSession,
  client: ClientRepresentation & { id: string },
  wanted: readonly string[],
  dryRun: boolean,
): Promise<ScopesOutcome> {
  const present = new Set(client.defaultClientScopes ?? []);
  const optional = new Set(client.optionalClientScopes ?? []);
  const missing = wanted.filter((scope) => !present.has(scope));
  const outcome: ScopesOutcome = {
    added: missing.filter((scope) => !optional.has(scope)),
    madeDefault: missing.filter((scope) => optional.has(scope)),
  };
  if (missing.length === 0 || dryRun) return outcome;
  const scopes = await session.call('reading the realm client scopes', (admin) => admin.clientScopes.find());
  for (const name of missing) {
    const scope = scopes.find((candidate) => candidate.name === name);
    if (scope?.id === undefined) {
      throw new BootstrapError(
        `keycloak.scopes: "${name}" is not a client scope of the realm: use one of ${scopes.map((s) => s.name).join(', ')}`,
        ExitCode.usage,
      );
    }
    const clientScopeId = scope.id;
    if (optional.has(name)) {
      await session.call(`removing optional client scope ${name}`, (admin) => admin.clients.delOptionalClientScope({ id: client.id, clientScopeId }));
    }
    await session.call(`adding client scope ${name}`, (admin) => admin.clients.addDefaultClientScope({ id: client.id, clientScopeId }));
  }
  const now = await session.call('reading the client\'s default scopes', (admin) => admin.clients.listDefaultClientScopes({ id: client.id }));
  const stillMissing = missing.filter((name) => !now.some((scope) => scope.name === name));
  if (stillMissing.length > 0) {
    throw new BootstrapError(
      `Keycloak did not make ${stillMissing.join(', ')} default client scopes of client ${client.clientId}: `
      + 'add them by hand (Clients → Client scopes → Add client scope → Default) and run again',
      ExitCode.unexpected,
    );
  }
  return outcome;
}
