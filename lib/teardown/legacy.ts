import type { Target } from './target.js';

/**
 * The Ingress the Ansible playbook (11_deploy.yaml) created beside the helm
 * release; ours is named after the release, so after a migration both route
 * the same host until this one is removed.
 */
export const LEGACY_INGRESS_NAME = 'jupyterhub-ingress';

export function legacyIngress(namespace: string): Target {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: LEGACY_INGRESS_NAME, namespace };
}
