import { type Config, resolveConfig } from '../../lib/index.js';

/** The embedded example (what `npm run synth` renders with no file). */
export const exampleConfig: Config = resolveConfig({});

/** A non-default hub: another domain, two admins, no GPU, other sizes, allow-listed Secrets. */
export const customConfig: Config = resolveConfig({
  domainName: 'lab.acme.io',
  namespace: 'research-hub',
  adminUsers: ['ana', 'bo'],
  chart: { version: '4.2.0', helmChartNamespace: 'research-hub' },
  keycloak: { realm: 'acme', clientId: 'research-hub', allowedGroups: ['researchers'], groupsClaim: { enabled: true } },
  harbor: { registry: 'registry.acme.io', project: 'ml' },
  storage: { storageClassName: 'cephfs', notebooksCapacity: '20Gi', datasetsCapacity: '1Ti', modelsCapacity: '50Gi', scratchCapacity: '10Gi' },
  images: { tag: '2026.11', notebook: ['tk-jupyter-ml-cpu'] },
  resources: { cpuLimit: 2, cpuGuarantee: 0.5, memoryLimitGi: 4, memoryGuaranteeGi: 1, minMemoryGi: 1, gpuLimit: 0 },
  examples: { enabled: false },
  discovery: {
    secretAllowList: [
      { namespace: 'gitea', name: 'gitea-admin-token' },
      { namespace: 'postgres', name: 'postgres-credentials' },
      { namespace: 'gitea', name: 'gitea-runner-token' },
    ],
  },
  ingress: { className: 'traefik', annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' } },
  networkPolicy: { enabled: true },
  culling: { timeoutSeconds: 7200 },
  branding: { announcement: '' },
  extraValues: { hub: { db: { pvc: { storage: '5Gi' } } }, prePuller: { continuous: { enabled: false } } },
});

/** The example with login restricted to Keycloak groups (the groups claim on). */
export const groupsConfig: Config = resolveConfig({
  keycloak: { allowedGroups: ['data-science', 'ml-team'], groupsClaim: { enabled: true } },
});
