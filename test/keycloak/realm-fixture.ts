/** A user of the test realm who can log in with a password. */
export interface TestUser {
  readonly username: string;
  readonly password: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
}

/**
 * The realm imported at Keycloak start: enabled, with users complete enough to
 * log in without a required action (email verified, first and last name set,
 * a non-temporary password).
 */
export function testRealm(realm: string, users: readonly TestUser[]): Record<string, unknown> {
  return {
    realm,
    enabled: true,
    users: users.map((user) => ({
      username: user.username,
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      enabled: true,
      emailVerified: true,
      requiredActions: [],
      credentials: [{ type: 'password', value: user.password, temporary: false }],
    })),
  };
}
