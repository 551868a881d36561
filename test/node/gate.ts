import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeUnavailableReason } from '../kube/harness.js';
import { tierUnavailable } from '../support/tier.js';

/**
 * Gate for the node tier. While its provisioning script is provision-node.sh
 * (not run by scripts/test.sh), a node that is not provisioned skips loudly,
 * in CI too. Renaming it to provision.sh switches the tier on: CI then
 * provisions it, and a missing node fails under CI=true like any other tier.
 */
export function nodeTierUnavailable(): boolean {
  const reason = nodeUnavailableReason();
  const switchedOn = existsSync(join(dirname(fileURLToPath(import.meta.url)), 'provision.sh'));
  if (reason === undefined || switchedOn) return tierUnavailable('node', reason);
  console.warn(`\n*** SKIPPING [node] tier unavailable: ${reason} (not yet provisioned by scripts/test.sh: run bash test/node/provision-node.sh) ***\n`);
  return true;
}
