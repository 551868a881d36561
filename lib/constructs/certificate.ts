import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { Config } from '../config/index.js';
import { composedConfig } from './compose.js';
import type { HubHelmConstruct } from './hub-helm.js';

export interface CertificateProps {
  /**
   * The hub's configuration: hostname, `ingress.tlsSecretName`, `tls.issuer` and, with routing gatewayApi,
   * `gateway.parentRef`. One other than the hub's is refused.
   * @default - the hub's configuration
   */
  readonly config?: Config;
  /** The hub the certificate serves. */
  readonly hub: HubHelmConstruct;
}

/**
 * The hub's certificate from cert-manager (tls.mode certManager): a
 * `Certificate` (cert-manager.io/v1) for `hostname`, issued by `tls.issuer`
 * into the Secret `ingress.tlsSecretName`. The Secret lands where TLS is
 * terminated: the hub's namespace for the Ingress, the Gateway's namespace for
 * routing gatewayApi (its listener `gateway.parentRef.sectionName` must
 * reference the Secret).
 * @see https://cert-manager.io/docs/usage/certificate/
 */
export class CertificateConstruct extends Construct {
  /** The configuration the certificate was built with (the hub's). */
  public readonly config: Config;
  /** The Certificate object (also `ApiObject.of(this)`). */
  public readonly certificate: ApiObject;

  constructor(scope: Construct, id: string, props: CertificateProps) {
    super(scope, id);
    const { hub } = props;
    const config = composedConfig(this, 'CertificateConstruct', props.config, [{ name: 'props.hub', config: hub.config }]);
    this.config = config;
    const issuer = config.tls.issuer;
    if (issuer === undefined) throw new Error('CertificateConstruct: config.tls.issuer is not set; name the cert-manager issuer (resolveConfig requires it with tls.mode certManager)');
    const namespace = config.routing === 'gatewayApi' ? config.gateway.parentRef?.namespace ?? hub.namespace : hub.namespace;
    this.certificate = new ApiObject(this, 'Resource', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: hub.releaseName, namespace },
      spec: {
        secretName: config.ingress.tlsSecretName,
        dnsNames: [config.hostname],
        issuerRef: { group: 'cert-manager.io', kind: issuer.kind, name: issuer.name },
      },
    });
  }
}
