import { nodeUnavailableReason } from '../kube/harness.js';
import { tierUnavailable } from '../support/tier.js';

/** Gate for the node tier: skips loudly without a provisioned node, fails under CI=true. */
export function nodeTierUnavailable(): boolean {
  return tierUnavailable('node', nodeUnavailableReason());
}
