import type { Config } from './config.js';
import type { ConfigProblem } from './errors.js';
import type { ConfigInput } from './schema.js';

/**
 * How the chart reaches the cluster: a HelmChart for a cluster's own
 * helm-controller (k3s, RKE2), the same with a standalone helm-controller in
 * dist/, a Flux HelmRelease, or a values file for the helm CLI.
 */
export const DELIVERIES = ['helmChart', 'helmChartWithController', 'fluxHelmRelease', 'helmValues'] as const;
export type Delivery = typeof DELIVERIES[number];

/** How traffic reaches the proxy: an ingress-nginx Ingress or a Gateway API HTTPRoute. */
export const ROUTINGS = ['ingress', 'gatewayApi'] as const;
export type Routing = typeof ROUTINGS[number];

/**
 * Where the HTTPS certificate comes from: the wildcard copied by the bootstrap,
 * a cert-manager Certificate, a Secret that already exists, or the Gateway's
 * listener (routing gatewayApi: the Gateway terminates TLS with its own).
 */
export const TLS_MODES = ['copyWildcard', 'certManager', 'existingSecret', 'gateway'] as const;
export type TlsMode = typeof TLS_MODES[number];

export const ISSUER_KINDS = ['Issuer', 'ClusterIssuer'] as const;
export type IssuerKind = typeof ISSUER_KINDS[number];

/** The TLS mode the input asks for, explicitly or through the older `tls.copyWildcardCertificate`. */
export function tlsModeOf(input: ConfigInput): TlsMode {
  if (input.tls?.mode !== undefined) return input.tls.mode;
  if (input.routing === 'gatewayApi') return 'gateway';
  return input.tls?.copyWildcardCertificate === false ? 'existingSecret' : 'copyWildcard';
}

/** Delivery, routing and TLS settings that cannot work together. */
export function deliveryProblems(input: ConfigInput, config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { routing, tls } = config;
  const parentRef = config.gateway.parentRef;
  if (config.delivery !== 'helmChart' && config.delivery !== 'helmChartWithController' && input.chart?.helmChartNamespace !== undefined) {
    problems.push({
      field: 'chart.helmChartNamespace',
      value: input.chart.helmChartNamespace,
      message: `only places a HelmChart, and delivery ${config.delivery} creates none: remove the field or use delivery helmChart`,
    });
  }
  if (routing === 'gatewayApi') {
    if (parentRef === undefined) {
      problems.push({
        field: 'gateway.parentRef',
        value: undefined,
        message: 'is required with routing gatewayApi: name the Gateway the HTTPRoute attaches to, e.g. { name: shared-gateway, namespace: gateway-system, sectionName: https }',
      });
    }
    for (const field of ['className', 'annotations'] as const) {
      if (input.ingress?.[field] !== undefined) {
        problems.push({ field: `ingress.${field}`, value: input.ingress[field], message: 'configures the Ingress, which routing gatewayApi replaces by an HTTPRoute: remove the field or use routing ingress' });
      }
    }
    if (tls.mode === 'copyWildcard' || tls.mode === 'existingSecret') {
      problems.push({
        field: 'tls.mode',
        value: tls.mode,
        message: "puts the certificate in the hub's namespace, where the HTTPRoute cannot use it (the Gateway's listener terminates TLS): "
          + "use tls.mode gateway (the listener's own certificate) or certManager (with gateway.parentRef.sectionName)",
      });
    }
    if (tls.mode === 'certManager' && parentRef !== undefined && parentRef.sectionName === undefined) {
      problems.push({
        field: 'gateway.parentRef.sectionName',
        value: undefined,
        message: "is required with tls.mode certManager and routing gatewayApi: name the Gateway listener that serves the certificate's Secret",
      });
    }
  } else {
    if (input.gateway !== undefined) {
      problems.push({ field: 'gateway', value: input.gateway, message: 'only applies to routing gatewayApi: set routing: gatewayApi or remove the field' });
    }
    if (tls.mode === 'gateway') {
      problems.push({ field: 'tls.mode', value: 'gateway', message: 'leaves TLS to a Gateway listener, which routing ingress has none of: use copyWildcard, certManager or existingSecret' });
    }
  }
  const copyWildcard = input.tls?.copyWildcardCertificate;
  if (copyWildcard !== undefined && copyWildcard !== (tls.mode === 'copyWildcard')) {
    problems.push({
      field: 'tls.copyWildcardCertificate',
      value: copyWildcard,
      message: `contradicts tls.mode ${tls.mode}: remove tls.copyWildcardCertificate (tls.mode replaces it)`,
    });
  }
  if (tls.mode === 'gateway' && input.ingress?.tlsSecretName !== undefined) {
    problems.push({
      field: 'ingress.tlsSecretName',
      value: input.ingress.tlsSecretName,
      message: "names a Secret nothing uses with tls.mode gateway (the Gateway's listener holds the certificate): remove the field, or use tls.mode certManager to issue into it",
    });
  }
  if (tls.mode === 'certManager' && tls.issuer === undefined) {
    problems.push({ field: 'tls.issuer', value: undefined, message: 'is required with tls.mode certManager: name the cert-manager issuer, e.g. { kind: ClusterIssuer, name: letsencrypt }' });
  }
  if (tls.mode !== 'certManager' && input.tls?.issuer !== undefined) {
    problems.push({ field: 'tls.issuer', value: input.tls.issuer, message: `is only used by tls.mode certManager, not ${tls.mode}: set tls.mode: certManager or remove the field` });
  }
  const existing = input.tls?.existingSecret;
  if (existing !== undefined) {
    if (tls.mode !== 'existingSecret') {
      problems.push({ field: 'tls.existingSecret', value: existing, message: `is only used by tls.mode existingSecret, not ${tls.mode}: set tls.mode: existingSecret or remove the field` });
    } else if (input.ingress?.tlsSecretName !== undefined && input.ingress.tlsSecretName !== existing.name) {
      problems.push({
        field: 'ingress.tlsSecretName',
        value: input.ingress.tlsSecretName,
        message: `differs from tls.existingSecret.name ${JSON.stringify(existing.name)}, which the Ingress uses: remove ingress.tlsSecretName`,
      });
    }
  }
  return problems;
}
