import { NetworkError } from '@keycloak/keycloak-admin-client';
import { BootstrapError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';

/** Certificate failures that a trusted CA (--ca-file) fixes. */
const UNTRUSTED_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);
/** Certificate failures that no CA fixes: each has its own message below. */
const TLS_CODES = new Set([...UNTRUSTED_CODES, 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID']);

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

/** A 200 whose body is not JSON: something other than Keycloak (a login page, a proxy's error page) answered. */
function notJson(error: unknown): boolean {
  return error instanceof SyntaxError;
}

/** A connection failure, a timeout, a 5xx or a 429 (rate limit): worth another attempt. */
export function isTransient(error: unknown): boolean {
  const status = httpStatus(error);
  if (status !== undefined) return status >= 500 || status === 429;
  if (isTimeout(error)) return true;
  const code = causeCode(error);
  return error instanceof TypeError && code !== undefined && !TLS_CODES.has(code);
}

/** Who logs in: the admin user with its password, or a client with client credentials. */
export interface AdminLogin {
  readonly kind: 'user' | 'client';
  readonly name: string;
}

export interface FailureContext {
  readonly url: string;
  readonly realm: string;
  readonly login: AdminLogin;
  /** What was being done, for the message: `reading client jupyterhub`. */
  readonly action: string;
  /** True while authenticating against the master realm. */
  readonly authenticating?: boolean;
}

function who(login: AdminLogin): string {
  return login.kind === 'user' ? `user "${login.name}"` : `the service account of client "${login.name}"`;
}

function credentialsHint(login: AdminLogin): string {
  return login.kind === 'user'
    ? 'check keycloak.adminUsername (ADMIN_USERNAME) and ADMIN_PASSWORD'
    : 'check KEYCLOAK_ADMIN_CLIENT_ID and KEYCLOAK_ADMIN_CLIENT_SECRET (a confidential client of realm master with service accounts enabled)';
}

function certificateFailure(where: string, code: string, url: string): BootstrapError {
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new BootstrapError(
      `${where}: its TLS certificate does not name the host "${new URL(url).hostname}" (${code}): `
      + 'set keycloak.url (KEYCLOAK_URL) to a host name the certificate holds; --ca-file does not change this',
      ExitCode.keycloakUnreachable,
    );
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return new BootstrapError(
      `${where}: its TLS certificate is ${code === 'CERT_HAS_EXPIRED' ? 'expired' : 'not valid yet'} (${code}): renew Keycloak's certificate (or fix this machine's clock)`,
      ExitCode.keycloakUnreachable,
    );
  }
  return new BootstrapError(
    `${where}: its TLS certificate is not trusted (${code}): pass --ca-file with the CA that signed it`,
    ExitCode.keycloakUnreachable,
  );
}

function authenticationFailure(where: string, status: number | undefined, context: FailureContext): BootstrapError | undefined {
  if (status === 401 || status === 400) {
    return new BootstrapError(
      `${where} rejected the admin credentials of ${context.login.kind} "${context.login.name}" in realm master (${status}): ${credentialsHint(context.login)}`,
      ExitCode.keycloakAuth,
    );
  }
  if (status === 404) {
    const path = new URL(context.url).pathname.replace(/\/+$/, '');
    if (path.endsWith('/auth')) {
      return new BootstrapError(
        `keycloak.url "${context.url}" ends in /auth and Keycloak answered 404 there: Keycloak 17 and later serve without /auth, `
        + 'remove it from keycloak.url (KEYCLOAK_URL) unless the server runs with --http-relative-path=/auth',
        ExitCode.usage,
      );
    }
    return new BootstrapError(
      `${where} has no admin login endpoint (404 at realms/master): keycloak.url (KEYCLOAK_URL) must be Keycloak's base URL, e.g. https://keycloak.example.com`,
      ExitCode.keycloakUnreachable,
    );
  }
  return undefined;
}

/** Turns an admin-client failure into a message and exit code for the operator. */
export function keycloakFailure(error: unknown, context: FailureContext): BootstrapError {
  if (error instanceof BootstrapError) return error;
  const status = httpStatus(error);
  const where = `Keycloak at ${context.url}`;
  const login = context.authenticating ? authenticationFailure(where, status, context) : undefined;
  if (login !== undefined) return login;
  if (status === 401) {
    return new BootstrapError(`${where} refused the admin token while ${context.action} (401), also after re-authenticating`, ExitCode.keycloakAuth);
  }
  if (status === 403) {
    return new BootstrapError(
      `${where}: ${who(context.login)} may not administer realm "${context.realm}" (403 while ${context.action}): `
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
  if (status === 429) {
    return new BootstrapError(
      `${where} rate-limited the requests (429 while ${context.action}), also after retries: wait a minute and run again`,
      ExitCode.keycloakUnreachable,
    );
  }
  if (status !== undefined && status >= 500) {
    return new BootstrapError(`${where} failed while ${context.action} (${status}), also after retries`, ExitCode.keycloakUnreachable);
  }
  if (notJson(error)) {
    return new BootstrapError(
      `${where} answered with something that is not Keycloak's JSON (an HTML page?) while ${context.action}: `
      + 'keycloak.url (KEYCLOAK_URL) must point at Keycloak itself, not a login page or proxy',
      ExitCode.keycloakUnreachable,
    );
  }
  if (isTimeout(error)) {
    return new BootstrapError(`${where} did not answer in time while ${context.action}, also after retries: check keycloak.url and the network`, ExitCode.keycloakUnreachable);
  }
  const code = causeCode(error);
  if (code !== undefined && TLS_CODES.has(code)) return certificateFailure(where, code, context.url);
  if (error instanceof TypeError && (code !== undefined || error.message === 'fetch failed')) {
    const reason = code ?? (error.cause instanceof Error ? error.cause.message : error.message);
    return new BootstrapError(`${where} is unreachable (${reason}) while ${context.action}, also after retries: check keycloak.url (KEYCLOAK_URL)`, ExitCode.keycloakUnreachable);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new BootstrapError(`${where}: unexpected failure while ${context.action}${status ? ` (${status})` : ''}: ${message}`, ExitCode.unexpected);
}
