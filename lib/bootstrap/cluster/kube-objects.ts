/** The Kubernetes objects this command writes (secret-ownership.ts tells when one is current). */
import type { V1Namespace, V1Secret } from '@kubernetes/client-node';
import type { Config } from '../../config/index.js';
import { OWNER } from '../owner.js';

const MANAGED_BY = { 'app.kubernetes.io/managed-by': OWNER };

const base64 = (value: string): string => Buffer.from(value, 'utf8').toString('base64');

export function namespaceObject(name: string): V1Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

/** Secret `jupyterhub-oidc-secret` (keys client_id, client_secret) that the hub's values read. */
export function oidcSecret(config: Config, clientSecret: string): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: config.keycloak.oidcSecretName, namespace: config.namespace, labels: MANAGED_BY },
    type: 'Opaque',
    data: { client_id: base64(config.keycloak.clientId), client_secret: base64(clientSecret) },
  };
}

/** A copy of the wildcard certificate for the hub's ingress, keeping only the TLS keys. */
export function tlsSecretCopy(config: Config, source: V1Secret): V1Secret {
  const data = Object.fromEntries(Object.entries(source.data ?? {}).filter(([key]) => ['tls.crt', 'tls.key', 'ca.crt'].includes(key)));
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: config.ingress.tlsSecretName, namespace: config.namespace, labels: MANAGED_BY },
    type: 'kubernetes.io/tls',
    data,
  };
}
