import type { Delivery, IssuerKind, Routing, TlsMode } from './delivery.js';
import type { NotebookFamily } from './validators.js';

/** One secret that the service-discovery identity may read. */
export interface SecretReference {
  readonly namespace: string;
  readonly name: string;
}

/**
 * The fully defaulted configuration of one Thinkube JupyterHub. Produced by
 * `resolveConfig` / `loadConfig`; field meanings are documented in
 * docs/configuration.md.
 */
export interface Config {
  readonly domainName: string;
  readonly namespace: string;
  readonly hostname: string;
  readonly hubUrl: string;
  readonly adminUsers: readonly string[];
  readonly chart: {
    readonly repo: string;
    readonly name: string;
    readonly version: string;
    readonly releaseName: string;
    readonly helmChartNamespace: string;
  };
  readonly keycloak: {
    readonly url: string;
    readonly realm: string;
    readonly clientId: string;
    readonly adminUsername: string;
    readonly oidcSecretName: string;
    readonly usernameClaim: string;
    readonly scopes: readonly string[];
    readonly allowedGroups: readonly string[];
    readonly adminGroups: readonly string[];
    readonly groupsClaim: { readonly enabled: boolean; readonly name: string };
    readonly logoutRedirectUrl: string;
  };
  readonly harbor: { readonly registry: string; readonly project: string };
  readonly storage: {
    readonly storageClassName: string;
    readonly notebooksCapacity: string;
    readonly datasetsCapacity: string;
    readonly modelsCapacity: string;
    readonly scratchCapacity: string;
    readonly examplesCapacity: string;
    readonly sharedNotebooks: boolean;
  };
  readonly images: {
    readonly tag: string;
    readonly notebook: readonly string[];
    readonly families: Readonly<Record<string, NotebookFamily>>;
    readonly serviceDiscovery: string;
    readonly fixPermissions: string;
    readonly cloneExamples: string;
  };
  readonly resources: {
    readonly cpuLimit: number;
    readonly cpuGuarantee: number;
    readonly memoryLimitGi: number;
    readonly memoryGuaranteeGi: number;
    readonly minMemoryGi: number;
    readonly gpuLimit: number;
  };
  readonly spawner: {
    readonly defaultUrl: string;
    readonly startTimeoutSeconds: number;
    readonly httpTimeoutSeconds: number;
    readonly deleteGracePeriodSeconds: number;
    readonly concurrentSpawnLimit: number;
  };
  readonly thinkubeControl: {
    readonly url: string;
    readonly timeoutSeconds: number;
    readonly cacheTtlSeconds: number;
  };
  readonly examples: { readonly enabled: boolean; readonly repository: string };
  readonly discovery: { readonly secretAllowList: readonly SecretReference[] };
  readonly delivery: Delivery;
  readonly routing: Routing;
  readonly gateway: {
    readonly parentRef?: { readonly name: string; readonly namespace: string; readonly sectionName?: string };
  };
  readonly ingress: {
    readonly className: string;
    readonly tlsSecretName: string;
    readonly annotations: Readonly<Record<string, string>>;
  };
  readonly tls: {
    readonly mode: TlsMode;
    /** Whether the bootstrap copies the wildcard certificate: true exactly in tls.mode copyWildcard. */
    readonly copyWildcardCertificate: boolean;
    readonly issuer?: { readonly kind: IssuerKind; readonly name: string };
    readonly sourceSecretName: string;
    readonly sourceNamespace: string;
  };
  readonly culling: { readonly enabled: boolean; readonly timeoutSeconds: number; readonly everySeconds: number };
  readonly networkPolicy: {
    readonly enabled: boolean;
    readonly serviceNamespaces: readonly string[];
    readonly ingressControllerNamespace: string;
    readonly apiServer: { readonly cidrs: readonly string[]; readonly port: number };
    readonly podCidrs: readonly string[];
  };
  readonly anthropicApiKey: { readonly secretName: string; readonly secretKey: string };
  readonly branding: { readonly announcement: string };
  readonly extraValues: Readonly<Record<string, unknown>>;
}
