import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { Config } from '../config/index.js';
import { composedConfig } from './compose.js';
import type { HubHelmConstruct } from './hub-helm.js';

/** ingress-nginx settings for long-lived notebook sessions: no body limit, hour-long timeouts, websockets. */
export const NOTEBOOK_INGRESS_ANNOTATIONS: Readonly<Record<string, string>> = {
  'nginx.ingress.kubernetes.io/proxy-body-size': '0',
  'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
  'nginx.ingress.kubernetes.io/proxy-send-timeout': '3600',
  'nginx.ingress.kubernetes.io/proxy-http-version': '1.1',
  'nginx.ingress.kubernetes.io/websocket-services': 'proxy-public',
};

export interface IngressProps {
  /**
   * The hub's configuration: hostname, ingress class, TLS secret and extra annotations (which win).
   * A configuration other than the hub's is refused.
   * @default - the hub's configuration
   */
  readonly config?: Config;
  /** The hub whose proxy Service receives the traffic. */
  readonly hub: HubHelmConstruct;
}

/** The HTTPS entry to the hub: `hostname` → the chart's `proxy-public` Service. */
export class IngressConstruct extends Construct {
  /** The configuration the Ingress was built with (the hub's). */
  public readonly config: Config;
  /** The Ingress object (also `ApiObject.of(this)`). */
  public readonly ingress: ApiObject;

  constructor(scope: Construct, id: string, props: IngressProps) {
    super(scope, id);
    const { hub } = props;
    const config = composedConfig(this, 'IngressConstruct', props.config, [{ name: 'props.hub', config: hub.config }]);
    this.config = config;
    this.ingress = new k8s.KubeIngress(this, 'Resource', {
      metadata: {
        name: hub.releaseName,
        namespace: hub.namespace,
        annotations: { ...NOTEBOOK_INGRESS_ANNOTATIONS, 'nginx.ingress.kubernetes.io/websocket-services': hub.proxyServiceName, ...config.ingress.annotations },
      },
      spec: {
        ingressClassName: config.ingress.className,
        tls: [{ hosts: [config.hostname], secretName: config.ingress.tlsSecretName }],
        rules: [{
          host: config.hostname,
          http: {
            paths: [{
              path: '/',
              pathType: 'Prefix',
              backend: { service: { name: hub.proxyServiceName, port: { number: hub.proxyServicePort } } },
            }],
          },
        }],
      },
    });
  }
}
