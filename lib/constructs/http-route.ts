import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { Config } from '../config/index.js';
import { composedConfig } from './compose.js';
import type { HubHelmConstruct } from './hub-helm.js';

/** The Ingress's hour-long proxy timeouts (nginx proxy-read/send-timeout 3600), as Gateway API durations. */
export const NOTEBOOK_ROUTE_TIMEOUT = '3600s';

export interface HttpRouteProps {
  /**
   * The hub's configuration: hostname and `gateway.parentRef`. One other than the hub's is refused.
   * @default - the hub's configuration
   */
  readonly config?: Config;
  /** The hub whose proxy Service receives the traffic. */
  readonly hub: HubHelmConstruct;
}

/**
 * The entry to the hub through a Gateway (routing gatewayApi): an `HTTPRoute`
 * (gateway.networking.k8s.io/v1) for `hostname` → the chart's `proxy-public`
 * Service, attached to `gateway.parentRef`. The Gateway's listener terminates
 * TLS. Websockets (kernels, terminals) need no setting: Gateway API
 * implementations pass the HTTP/1.1 Upgrade through by default, which is what
 * the Ingress's nginx websocket annotations switch on. Gateway API has no body
 * size limit to lift.
 * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
 */
export class HttpRouteConstruct extends Construct {
  /** The configuration the route was built with (the hub's). */
  public readonly config: Config;
  /** The HTTPRoute object (also `ApiObject.of(this)`). */
  public readonly route: ApiObject;

  constructor(scope: Construct, id: string, props: HttpRouteProps) {
    super(scope, id);
    const { hub } = props;
    const config = composedConfig(this, 'HttpRouteConstruct', props.config, [{ name: 'props.hub', config: hub.config }]);
    this.config = config;
    const parentRef = config.gateway.parentRef;
    if (parentRef === undefined) throw new Error('HttpRouteConstruct: config.gateway.parentRef is not set; name the Gateway to attach to (resolveConfig requires it with routing gatewayApi)');
    this.route = new ApiObject(this, 'Resource', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: hub.releaseName, namespace: hub.namespace },
      spec: {
        parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', ...parentRef }],
        hostnames: [config.hostname],
        rules: [{
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          backendRefs: [{ name: hub.proxyServiceName, port: hub.proxyServicePort }],
          // Long-running notebook requests and idle websockets, as the Ingress's nginx timeouts allow.
          timeouts: { request: NOTEBOOK_ROUTE_TIMEOUT, backendRequest: NOTEBOOK_ROUTE_TIMEOUT },
        }],
      },
    });
  }
}
