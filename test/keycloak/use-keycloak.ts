import { afterAll, beforeAll } from 'vitest';
import { type KeycloakHarness, type StartKeycloakOptions, startKeycloak } from './harness.js';

/**
 * Vitest glue: call inside a `describe` (gated with tierUnavailable) to start
 * Keycloak before its tests and stop it after; returns a getter.
 */
export function useKeycloak(options: StartKeycloakOptions = {}): () => KeycloakHarness {
  let keycloak: KeycloakHarness | undefined;
  beforeAll(async () => {
    keycloak = await startKeycloak(options);
  }, 300_000);
  afterAll(async () => {
    await keycloak?.stop();
  }, 60_000);
  return () => {
    if (keycloak === undefined) throw new Error('the keycloak harness is not running (tier unavailable?)');
    return keycloak;
  };
}
