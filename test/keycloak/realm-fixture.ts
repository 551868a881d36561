/** A user of the test realm who can log in with a password. */
export interface TestUser {
  readonly username: string;
  readonly password: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  /** Top-level realm groups the user belongs to. */
  readonly groups: readonly string[];
}

/** The test realm's groups: what `keycloak.allowedGroups` and `keycloak.adminGroups` name in the tests. */
export const TEST_GROUPS = { users: 'jupyter-users', admins: 'jupyter-admins' } as const;

/**
 * The realm imported at Keycloak start: enabled, with users complete enough to
 * log in without a required action (email verified, first and last name set,
 * a non-temporary password).
 */
export function testRealm(realm: string, users: readonly TestUser[]): Record<string, unknown> {
  return {
    realm,
    enabled: true,
    groups: [...new Set(users.flatMap((user) => user.groups))].map((name) => ({ name })),
    users: users.map((user) => ({
      username: user.username,
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      enabled: true,
      emailVerified: true,
      requiredActions: [],
      credentials: [{ type: 'password', value: user.password, temporary: false }],
      groups: user.groups.map((name) => `/${name}`),
    })),
  };
}
