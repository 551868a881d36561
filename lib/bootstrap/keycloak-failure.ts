import { NetworkError } from '@keycloak/keycloak-admin-client';
import { BootstrapError } from './errors.js';
import { ExitCode } from './exit-codes.js';

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The HTTP status of a failed admin-client request, if it got a response. */
export function httpStatus(error: unknown): number | undefined {
  return error instanceof NetworkError ? error.response.status : undefined;
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** A connection failure, a timeout or a 5xx: worth another attempt. */
export function isTransient(error: unknown): boolean {
  const status = httpStatus(error);
  if (status !== undefined) return status >= 500;
  if (isTimeout(error)) return true;
  const code = causeCode(error);
  return error instanceof TypeError && code !== undefined && !TLS_CODES.has(code);
}

export interface FailureContext {
  readonly url: string;
  readonly realm: string;
  readonly adminUsername: string;
  /** What was being done, for the message: `reading client jupyterhub`. */
  readonly action: string;
  /** True while authenticating against the master realm. */
  readonly authenticating?: boolean;
}

/** Turns an admin-client failure into a message and exit code for the operator. */
export function keycloakFailure(error: unknown, context: FailureContext): BootstrapError {
  if (error instanceof BootstrapError) return error;
  const status = httpStatus(error);
  const where = `Keycloak at ${context.url}`;
  if (context.authenticating && (status === 401 || status === 400)) {
    return new BootstrapError(
      `${where} rejected the admin credentials of user "${context.adminUsername}" in realm master (${status}): `
      + 'check keycloak.adminUsername (ADMIN_USERNAME) and ADMIN_PASSWORD',
      ExitCode.keycloakAuth,
    );
  }
  if (status === 401) {
    return new BootstrapError(`${where} refused the admin token while ${context.action} (401), also after re-authenticating`, ExitCode.keycloakAuth);
  }
  if (status === 403) {
    return new BootstrapError(
      `${where}: user "${context.adminUsername}" may not administer realm "${context.realm}" (403 while ${context.action}): `
      + 'grant it the realm-management roles manage-clients and view-clients',
      ExitCode.forbidden,
    );
  }
  if (status === 404) {
    return new BootstrapError(
      `${where} has no realm "${context.realm}" (404 while ${context.action}): check keycloak.realm (KEYCLOAK_REALM)`,
      ExitCode.realmNotFound,
    );
  }
  if (status !== undefined && status >= 500) {
    return new BootstrapError(`${where} failed while ${context.action} (${status}), also after retries`, ExitCode.keycloakUnreachable);
  }
  if (isTimeout(error)) {
    return new BootstrapError(`${where} did not answer in time while ${context.action}, also after retries: check keycloak.url and the network`, ExitCode.keycloakUnreachable);
  }
  const code = causeCode(error);
  if (code !== undefined && TLS_CODES.has(code)) {
    return new BootstrapError(
      `${where}: its TLS certificate is not trusted (${code}): pass --ca-file with the CA that signed it`,
      ExitCode.keycloakUnreachable,
    );
  }
  if (error instanceof TypeError && (code !== undefined || error.message === 'fetch failed')) {
    const reason = code ?? (error.cause instanceof Error ? error.cause.message : error.message);
    return new BootstrapError(`${where} is unreachable (${reason}) while ${context.action}, also after retries: check keycloak.url (KEYCLOAK_URL)`, ExitCode.keycloakUnreachable);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new BootstrapError(`${where}: unexpected failure while ${context.action}${status ? ` (${status})` : ''}: ${message}`, ExitCode.unexpected);
}
