/**
 * Exit codes of every command of the CLI (bootstrap-keycloak, preflight,
 * teardown, import-inventory), one per kind of failure an operator fixes
 * differently.
 */
export const ExitCode = {
  ok: 0,
  unexpected: 1,
  /** preflight: at least one check failed (each FAIL line names its fix). */
  checksFailed: 1,
  usage: 2,
  keycloakAuth: 3,
  realmNotFound: 4,
  keycloakUnreachable: 5,
  clusterUnreachable: 6,
  forbidden: 7,
  interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
