import type { Config } from './config.js';
import type { ConfigProblem } from './errors.js';
import { parseCidr } from './validators.js';

/** The link-local address clouds serve instance credentials on; notebooks must never reach it. */
const CLOUD_METADATA_IP = '169.254.169.254';

/** Whether every address of `inner` (a CIDR) lies in `outer`, a strictly larger block (what `ipBlock.except` requires). */
export function cidrWithin(inner: string, outer: string): boolean {
  const a = parseCidr(inner);
  const b = parseCidr(outer);
  if (a === undefined || b === undefined || a[1] <= b[1]) return false;
  const size = 2 ** (32 - b[1]);
  return Math.floor(a[0] / size) * size === b[0];
}

function contains(cidr: string, address: string): boolean {
  return cidr.endsWith('/32') ? cidr === `${address}/32` : cidrWithin(`${address}/32`, cidr);
}

/** Allow-list entries that would open what the notebook policy exists to close. */
export function networkPolicyProblems(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const np = config.networkPolicy;
  np.apiServer.cidrs.forEach((cidr, i) => {
    if (contains(cidr, CLOUD_METADATA_IP)) {
      problems.push({
        field: `networkPolicy.apiServer.cidrs[${i}]`,
        value: cidr,
        message: `includes the cloud metadata address ${CLOUD_METADATA_IP}: list only the API server's addresses `
          + "(kubectl get endpoints kubernetes -n default), e.g. '192.168.1.10/32'",
      });
    }
  });
  np.serviceNamespaces.forEach((namespace, i) => {
    if (namespace === config.namespace) {
      problems.push({
        field: `networkPolicy.serviceNamespaces[${i}]`,
        value: namespace,
        message: "is the hub's own namespace: notebooks would reach the proxy's API and the hub on every port; remove it",
      });
    }
  });
  if (np.ingressControllerNamespace === config.namespace) {
    problems.push({
      field: 'networkPolicy.ingressControllerNamespace',
      value: np.ingressControllerNamespace,
      message: "is the hub's own namespace: name the namespace of the ingress controller's pods, or '' for none",
    });
  }
  return problems;
}
