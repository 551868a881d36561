import { ApiObject } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { DiscoveryRbacConstruct, HubHelmConstruct, IngressConstruct, StorageConstruct } from '../../lib/index.js';
import type { Config } from '../../lib/index.js';
import { customConfig, exampleConfig } from '../support/configs.js';
import { find, synthChart } from '../support/synth.js';

function ingressFor(config: Config) {
  const manifests = synthChart((chart) => {
    const storage = new StorageConstruct(chart, 'storage', { config });
    const discovery = new DiscoveryRbacConstruct(chart, 'discovery', { config });
    const hub = new HubHelmConstruct(chart, 'hub', { config, storage, discovery });
    const ingress = new IngressConstruct(chart, 'ingress', { config, hub });
    expect(ApiObject.of(ingress).kind).toBe('Ingress');
  });
  return find(manifests, 'Ingress') as any;
}

describe('IngressConstruct', () => {
  it('defaults: jupyter host → proxy-public:80 with TLS and notebook-friendly nginx settings', () => {
    const ingress = ingressFor(exampleConfig);
    expect(ingress).toMatchSnapshot();
    expect(ingress.metadata.namespace).toBe('jupyterhub');
    expect(ingress.spec.tls).toEqual([{ hosts: ['jupyter.example.com'], secretName: 'jupyterhub-tls-secret' }]);
    expect(ingress.spec.rules[0].host).toBe('jupyter.example.com');
    expect(ingress.spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'proxy-public', port: { number: 80 } } });
    expect(ingress.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/proxy-body-size': '0',
      'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
      'nginx.ingress.kubernetes.io/proxy-send-timeout': '3600',
      'nginx.ingress.kubernetes.io/websocket-services': 'proxy-public',
    });
    expect(ingress.spec.ingressClassName).toBe('nginx');
  });

  it('custom: class and extra annotations from config', () => {
    const ingress = ingressFor(customConfig);
    expect(ingress).toMatchSnapshot();
    expect(ingress.spec.ingressClassName).toBe('traefik');
    expect(ingress.metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt');
    expect(ingress.spec.rules[0].host).toBe('jupyter.lab.acme.io');
  });
});
