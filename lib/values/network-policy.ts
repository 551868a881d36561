import type { Config } from '../config/index.js';
import type { DiscoveryIdentity } from '../model/notebook-pod.js';
import { cidrWithin } from '../config/network-policy.js';
import type { Values } from './merge.js';

/**
 * The chart's hub, proxy and notebook NetworkPolicies with Thinkube's
 * allow-lists. The chart's notebook policy reaches DNS, the hub's API port,
 * the proxy and the internet, but no private address (`privateIPs: false`), so
 * on a home-lab cluster it would cut notebooks off from the API server (the
 * discovery init container), thinkube-control and every in-cluster service.
 * We add exactly those, and keep the cloud metadata server closed even for
 * DNS. The hub and proxy keep the chart's egress (the hub needs the API
 * server, Keycloak and thinkube-control, wherever they are), minus the
 * metadata server.
 * @see https://z2jh.jupyter.org/en/stable/administrator/security.html#kubernetes-network-policies
 */
export function networkPolicyValues(config: Config, discovery: DiscoveryIdentity): Values {
  const { enabled } = config.networkPolicy;
  const closedMetadata = { egressAllowRules: { cloudMetadataServer: false } };
  return {
    hub: { networkPolicy: { enabled, ...closedMetadata } },
    proxy: { chp: { networkPolicy: { enabled, ...closedMetadata } } },
    singleuser: {
      networkPolicy: {
        enabled,
        egressAllowRules: {
          cloudMetadataServer: false,
          // DNS comes from CoreDNS (kube-system) or a node-local resolver on a
          // private address; GKE's metadata-server DNS is not Thinkube's.
          dnsPortsCloudMetadataServer: false,
          privateIPs: false,
        },
        egress: notebookEgress(config, discovery),
      },
    },
  };
}

const TCP = 'TCP';

function notebookEgress(config: Config, discovery: DiscoveryIdentity): Values[] {
  const { apiServer, ingressControllerNamespace } = config.networkPolicy;
  const rules: Values[] = [];
  const namespaces = serviceNamespaces(config, discovery);
  if (namespaces.length > 0) {
    // Services discovery publishes by in-cluster address (databases, APIs).
    rules.push({ to: [{ namespaceSelector: namespaceIn(namespaces) }] });
  }
  if (ingressControllerNamespace !== '') {
    // Services discovery publishes by their https://<name>.<domain> URL.
    rules.push({
      to: [{ namespaceSelector: namespaceIn([ingressControllerNamespace]) }],
      ports: [{ port: 80, protocol: TCP }, { port: 443, protocol: TCP }],
    });
  }
  // The API server is no pod: policies see its endpoint addresses (after the
  // kubernetes Service's DNAT), e.g. each k3s server node's IP on 6443. The
  // pod network is cut out: some enforcers (kube-router) admit traffic into a
  // pod on the source's egress rule alone, so a broad range would open other
  // users' notebooks on this port.
  rules.push({
    to: apiServer.cidrs.map((cidr) => {
      const except = config.networkPolicy.podCidrs.filter((pods) => cidrWithin(pods, cidr));
      return { ipBlock: except.length > 0 ? { cidr, except } : { cidr } };
    }),
    ports: [{ port: apiServer.port, protocol: TCP }],
  });
  return rules;
}

function namespaceIn(namespaces: readonly string[]): Values {
  return { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...namespaces] }] };
}

/**
 * Namespaces notebooks may reach on any port: those of the Secrets discovery
 * reads, thinkube-control's (when its URL is a cluster Service name) and
 * `networkPolicy.serviceNamespaces`.
 */
function serviceNamespaces(config: Config, discovery: DiscoveryIdentity): string[] {
  const control = clusterServiceNamespace(config.thinkubeControl.url);
  const all = [
    ...discovery.secretAllowList.map((secret) => secret.namespace),
    ...(control === undefined ? [] : [control]),
    ...config.networkPolicy.serviceNamespaces,
  ];
  // The hub's own namespace stays closed: notebooks reach only the hub's and
  // the proxy's public ports there (the chart's rules), not the proxy's API.
  return [...new Set(all)].filter((namespace) => namespace !== config.namespace).sort();
}

/** `<service>.<namespace>.svc[.<cluster domain>]` → namespace; other hosts → undefined. */
function clusterServiceNamespace(url: string): string | undefined {
  return /^[^.]+\.([^.]+)\.svc(\.|$)/.exec(new URL(url).hostname)?.[1];
}
