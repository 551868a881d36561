import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../lib/index.js';
import { problemsOf } from '../support/config-problems.js';

const gateway = { parentRef: { name: 'shared', namespace: 'gateway-system' } };

describe('delivery, routing and tls defaults', () => {
  it('keep today\'s HelmChart, Ingress and wildcard copy', () => {
    const config = resolveConfig({});
    expect(config).toMatchObject({ delivery: 'helmChart', routing: 'ingress', gateway: {}, tls: { mode: 'copyWildcard', copyWildcardCertificate: true } });
    expect(config.tls.issuer).toBeUndefined();
  });

  it('read the older tls.copyWildcardCertificate: false as an existing Secret', () => {
    const config = resolveConfig({ tls: { copyWildcardCertificate: false }, ingress: { tlsSecretName: 'mine' } });
    expect(config.tls).toMatchObject({ mode: 'existingSecret', copyWildcardCertificate: false });
    expect(config.ingress.tlsSecretName).toBe('mine');
  });

  it('use tls.existingSecret.name as the Ingress Secret and copy nothing', () => {
    const config = resolveConfig({ tls: { mode: 'existingSecret', existingSecret: { name: 'hub-cert' } } });
    expect(config.ingress.tlsSecretName).toBe('hub-cert');
    expect(config.tls.copyWildcardCertificate).toBe(false);
  });

  it('default the issuer kind to ClusterIssuer', () => {
    const config = resolveConfig({ tls: { mode: 'certManager', issuer: { name: 'letsencrypt' } } });
    expect(config.tls).toMatchObject({ mode: 'certManager', copyWildcardCertificate: false, issuer: { kind: 'ClusterIssuer', name: 'letsencrypt' } });
  });

  it('leave TLS to the Gateway and let its namespace reach notebooks with routing gatewayApi', () => {
    const config = resolveConfig({ routing: 'gatewayApi', gateway });
    expect(config.tls).toMatchObject({ mode: 'gateway', copyWildcardCertificate: false });
    expect(config.networkPolicy.ingressControllerNamespace).toBe('gateway-system');
  });
});

describe('delivery, routing and tls errors', () => {
  it.each([
    [{ delivery: 'kubectl' }, "delivery: \"kubectl\" is not a delivery: use 'helmChart', 'helmChartWithController', 'fluxHelmRelease', 'helmValues'"],
    [{ routing: 'traefik' }, "routing: \"traefik\" is not a routing: use 'ingress' or 'gatewayApi'"],
    [{ tls: { mode: 'acme' } }, "tls.mode: \"acme\" is not a TLS mode: use 'copyWildcard', 'certManager', 'existingSecret', 'gateway'"],
    [{ tls: { mode: 'certManager', issuer: { kind: 'Vault', name: 'x' } } }, "tls.issuer.kind: \"Vault\" is not a cert-manager issuer kind: use 'Issuer' or 'ClusterIssuer'"],
    [{ routing: 'gatewayApi' }, 'gateway.parentRef: nothing is required with routing gatewayApi: name the Gateway'],
    [{ routing: 'gatewayApi', gateway, ingress: { className: 'nginx' } }, 'ingress.className: "nginx" configures the Ingress, which routing gatewayApi replaces by an HTTPRoute'],
    [{ routing: 'gatewayApi', gateway, tls: { mode: 'copyWildcard' } }, 'tls.mode: "copyWildcard" puts the certificate in the hub\'s namespace, where the HTTPRoute cannot use it'],
    [{ routing: 'gatewayApi', gateway, tls: { copyWildcardCertificate: true } }, 'tls.copyWildcardCertificate: true contradicts tls.mode gateway: remove tls.copyWildcardCertificate'],
    [{ routing: 'gatewayApi', gateway, tls: { mode: 'certManager', issuer: { name: 'le' } } }, 'gateway.parentRef.sectionName: nothing is required with tls.mode certManager and routing gatewayApi'],
    [{ routing: 'gatewayApi', gateway, ingress: { tlsSecretName: 'x' } }, 'ingress.tlsSecretName: "x" names a Secret nothing uses with tls.mode gateway'],
    [{ gateway }, 'gateway: {"parentRef":{"name":"shared","namespace":"gateway-system"}} only applies to routing gatewayApi'],
    [{ tls: { mode: 'gateway' } }, 'tls.mode: "gateway" leaves TLS to a Gateway listener, which routing ingress has none of'],
    [{ tls: { mode: 'certManager' } }, 'tls.issuer: nothing is required with tls.mode certManager'],
    [{ tls: { issuer: { name: 'le' } } }, 'tls.issuer: {"name":"le"} is only used by tls.mode certManager, not copyWildcard'],
    [{ tls: { existingSecret: { name: 'x' } } }, 'tls.existingSecret: {"name":"x"} is only used by tls.mode existingSecret, not copyWildcard'],
    [{ tls: { mode: 'existingSecret', existingSecret: { name: 'x' } }, ingress: { tlsSecretName: 'y' } }, 'ingress.tlsSecretName: "y" differs from tls.existingSecret.name "x"'],
    [{ tls: { mode: 'certManager', issuer: { name: 'le' }, copyWildcardCertificate: true } }, 'tls.copyWildcardCertificate: true contradicts tls.mode certManager'],
    [{ delivery: 'helmValues', chart: { helmChartNamespace: 'kube-system' } }, 'chart.helmChartNamespace: "kube-system" only places a HelmChart, and delivery helmValues creates none'],
  ])('%j is refused', (input, message) => {
    expect(problemsOf(input).join('\n')).toContain(message);
  });

  it('accepts certManager behind a Gateway listener', () => {
    const config = resolveConfig({ routing: 'gatewayApi', gateway: { parentRef: { ...gateway.parentRef, sectionName: 'https' } }, tls: { mode: 'certManager', issuer: { kind: 'Issuer', name: 'le' } } });
    expect(config.gateway.parentRef?.sectionName).toBe('https');
  });
});
