import KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import type { Credentials } from '@keycloak/keycloak-admin-client/lib/utils/auth.js';
import { TOOL_DEFAULTS } from '../../config/index.js';
import { DEFAULT_RETRY, type RetryPolicy, withRetry } from '../retry.js';
import { type AdminLogin, type FailureContext, httpStatus, isTransient, keycloakFailure } from './keycloak-failure.js';
import { type KeycloakTlsOptions, keycloakRequestOptions } from './keycloak-tls.js';

export interface KeycloakSessionOptions extends KeycloakTlsOptions {
  /** Base URL of Keycloak, e.g. https://keycloak.example.com */
  readonly url: string;
  /** The realm to administer (authentication is always against master). */
  readonly realm: string;
  readonly adminUsername: string;
  readonly adminPassword?: string;
  /** With adminClientSecret: the client-credentials grant instead of the admin user's password. */
  readonly adminClientId?: string;
  readonly adminClientSecret?: string;
  /** Per-request timeout. @default 10000 */
  readonly timeoutMs?: number;
  /** @default DEFAULT_RETRY */
  readonly retry?: RetryPolicy;
}

/**
 * An authenticated admin-client for one realm. Every call goes through
 * `call`, which retries connection errors, timeouts and 5xx with backoff,
 * re-authenticates once when the token was refused or could not be refreshed,
 * and turns failures into BootstrapErrors with their exit code.
 */
export class KeycloakSession {
  /** Holds the master-realm token: its own realm is master, so refreshing it works. */
  private readonly auth: KeycloakAdminClient;
  readonly admin: KeycloakAdminClient;
  private readonly credentials: Credentials;
  private readonly retry: RetryPolicy;

  private constructor(private readonly options: KeycloakSessionOptions, requestOptions: Omit<RequestInit, 'signal'> | undefined) {
    const timeout = options.timeoutMs ?? TOOL_DEFAULTS.requestTimeoutSeconds * 1000;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.auth = new KeycloakAdminClient({ baseUrl: options.url, realmName: 'master', timeout, requestOptions });
    this.admin = new KeycloakAdminClient({ baseUrl: options.url, realmName: options.realm, timeout, requestOptions });
    this.admin.registerTokenProvider({ getAccessToken: () => this.accessToken() });
    this.credentials = options.adminClientId && options.adminClientSecret
      ? { grantType: 'client_credentials', clientId: options.adminClientId, clientSecret: options.adminClientSecret }
      : { grantType: 'password', clientId: 'admin-cli', username: options.adminUsername, password: options.adminPassword };
  }

  /** Authenticates against the master realm. */
  static async open(options: KeycloakSessionOptions): Promise<KeycloakSession> {
    const session = new KeycloakSession(options, await keycloakRequestOptions(options));
    await session.authenticate();
    return session;
  }

  private async authenticate(): Promise<void> {
    try {
      await withRetry(() => this.auth.auth(this.credentials), isTransient, this.retry);
    } catch (error) {
      throw keycloakFailure(error, { ...this.context('authenticating'), authenticating: true });
    }
  }

  /** The current token, refreshed when near expiry; a new login when the refresh fails. */
  private async accessToken(): Promise<string | undefined> {
    try {
      return await this.auth.getAccessToken();
    } catch {
      await this.authenticate();
      return this.auth.accessToken;
    }
  }

  /** Who logs in, for messages: the client with client credentials, else the admin user. */
  get login(): AdminLogin {
    return this.credentials.grantType === 'client_credentials'
      ? { kind: 'client', name: this.credentials.clientId }
      : { kind: 'user', name: this.options.adminUsername };
  }

  private context(action: string): FailureContext {
    return { url: this.options.url, realm: this.options.realm, login: this.login, action };
  }

  /** Runs one admin-API operation; `action` names it in error messages. */
  async call<T>(action: string, operation: (admin: KeycloakAdminClient) => Promise<T>): Promise<T> {
    const attempt = (): Promise<T> => withRetry(() => operation(this.admin), isTransient, this.retry);
    try {
      try {
        return await attempt();
      } catch (error) {
        if (!needsNewToken(error)) throw error;
        await this.authenticate();
        return await attempt();
      }
    } catch (error) {
      throw keycloakFailure(error, this.context(action));
    }
  }
}

/** The token was refused: expired or revoked since it was last checked. */
function needsNewToken(error: unknown): boolean {
  return httpStatus(error) === 401;
}
