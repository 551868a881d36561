import { useStarted } from '../support/tier.js';
import { type KeycloakHarness, type StartKeycloakOptions, startKeycloak } from './harness.js';

/** A Keycloak for the tests of one `describe` (gated with tierUnavailable); returns a getter. */
export function useKeycloak(options: StartKeycloakOptions = {}): () => KeycloakHarness {
  return useStarted('keycloak', () => startKeycloak(options));
}
