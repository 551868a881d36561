import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared beside the checkout: present for developers and CI, absent in a user's clone. */
export const SHARED_DIR = join(fileURLToPath(new URL('../..', import.meta.url)), '..', 'shared');

/** Why tests that read ../shared cannot run, or undefined when they can. */
export function sharedMissingReason(): string | undefined {
  return existsSync(join(SHARED_DIR, 'reference')) ? undefined : `${SHARED_DIR}/reference is absent (a user's clone has no ../shared)`;
}
