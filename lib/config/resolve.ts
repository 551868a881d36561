import type { Config } from './config.js';
import { DEFAULTS } from './defaults.js';
import { deliveryProblems, tlsModeOf } from './delivery.js';
import { ConfigError, type ConfigProblem } from './errors.js';
import { type ConfigInput, configInputSchema } from './schema.js';
import { networkPolicyProblems } from './network-policy.js';
import { NOTEBOOK_FAMILIES } from './validators.js';

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = input;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function fieldName(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i ? '.' : ''}${String(key)}`)).join('') || '(root)';
}

/** Validates the raw input; throws a ConfigError listing every problem. */
export function parseConfigInput(input: unknown, source?: string): ConfigInput {
  const result = configInputSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue): ConfigProblem => {
    if (issue.code === 'unrecognized_keys') {
      return {
        field: fieldName([...issue.path, issue.keys[0]]),
        value: valueAt(input, [...issue.path, issue.keys[0]]),
        message: 'is not a known field: check the spelling against docs/configuration.md',
      };
    }
    return { field: fieldName(issue.path), value: valueAt(input, issue.path), message: issue.message };
  });
  throw new ConfigError(problems, source);
}

/** helm refuses longer release names. */
const HELM_RELEASE_NAME_MAX = 53;

function semanticProblems(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const r = config.resources;
  if (r.cpuGuarantee > r.cpuLimit) {
    problems.push({ field: 'resources.cpuGuarantee', value: r.cpuGuarantee, message: `must not exceed resources.cpuLimit (${r.cpuLimit})` });
  }
  if (r.memoryGuaranteeGi > r.memoryLimitGi) {
    problems.push({ field: 'resources.memoryGuaranteeGi', value: r.memoryGuaranteeGi, message: `must not exceed resources.memoryLimitGi (${r.memoryLimitGi})` });
  }
  if (r.minMemoryGi > r.memoryLimitGi) {
    problems.push({ field: 'resources.minMemoryGi', value: r.minMemoryGi, message: `must not exceed resources.memoryLimitGi (${r.memoryLimitGi})` });
  }
  if (config.chart.releaseName.length > HELM_RELEASE_NAME_MAX) {
    problems.push({
      field: 'chart.releaseName',
      value: config.chart.releaseName,
      message: `is longer than helm's ${HELM_RELEASE_NAME_MAX} characters (outside the jupyterhub namespace it defaults to jupyterhub-<namespace>): set a shorter chart.releaseName`,
    });
  }
  if (usesGroups(config.keycloak) && !config.keycloak.groupsClaim.enabled) {
    problems.push({
      field: 'keycloak.groupsClaim.enabled',
      value: false,
      message: 'must be true while keycloak.allowedGroups or keycloak.adminGroups is set (the hub reads the groups claim): '
        + 'remove the field (it then defaults to true) or the groups',
    });
  }
  config.images.notebook.forEach((name, i) => {
    if (config.images.families[name] === undefined) {
      problems.push({
        field: `images.notebook[${i}]`,
        value: name,
        message: `has no start family: add it to images.families as ${NOTEBOOK_FAMILIES.map((f) => `'${f}'`).join(' or ')} (see README, "Notebook images")`,
      });
    }
  });
  problems.push(...networkPolicyProblems(config));
  return problems;
}

/** Whether login or admin rights depend on Keycloak group membership. */
export function usesGroups(keycloak: { readonly allowedGroups: readonly string[]; readonly adminGroups: readonly string[] }): boolean {
  return keycloak.allowedGroups.length > 0 || keycloak.adminGroups.length > 0;
}

/** Fills every default (derived from `domainName` where the seed did) and checks cross-field rules. */
export function resolveConfig(raw: unknown = {}, source?: string): Config {
  const input = parseConfigInput(raw, source);
  const domainName = input.domainName ?? DEFAULTS.domainName;
  const hostname = input.hostname ?? `${DEFAULTS.hostnamePrefix}.${domainName}`;
  const keycloakAdmin = input.keycloak?.adminUsername ?? DEFAULTS.keycloak.adminUsername;
  const d = DEFAULTS;
  const allowedGroups = input.keycloak?.allowedGroups ?? d.keycloak.allowedGroups;
  const adminGroups = input.keycloak?.adminGroups ?? d.keycloak.adminGroups;
  const namespace = input.namespace ?? d.namespace;
  const routing = input.routing ?? d.routing;
  const tlsMode = tlsModeOf(input);
  const parentRef = input.gateway?.parentRef;
  const config: Config = {
    domainName,
    namespace,
    hostname,
    hubUrl: (input.hubUrl ?? `https://${hostname}`).replace(/\/+$/, ''),
    adminUsers: input.adminUsers ?? [keycloakAdmin],
    // The HelmChart objects of hubs in several namespaces share chart.helmChartNamespace: each needs its own name.
    chart: { ...d.chart, releaseName: namespace === d.namespace ? d.chart.releaseName : `${d.chart.releaseName}-${namespace}`, ...input.chart },
    keycloak: {
      url: (input.keycloak?.url ?? `https://${d.keycloak.hostnamePrefix}.${domainName}`).replace(/\/+$/, ''),
      realm: input.keycloak?.realm ?? d.keycloak.realm,
      clientId: input.keycloak?.clientId ?? d.keycloak.clientId,
      adminUsername: keycloakAdmin,
      oidcSecretName: input.keycloak?.oidcSecretName ?? d.keycloak.oidcSecretName,
      usernameClaim: input.keycloak?.usernameClaim ?? d.keycloak.usernameClaim,
      scopes: input.keycloak?.scopes ?? d.keycloak.scopes,
      allowedGroups,
      adminGroups,
      // The mapper follows the groups by default: groups without the claim would refuse everyone.
      groupsClaim: {
        enabled: input.keycloak?.groupsClaim?.enabled ?? usesGroups({ allowedGroups, adminGroups }),
        name: input.keycloak?.groupsClaim?.name ?? d.keycloak.groupsClaimName,
      },
      logoutRedirectUrl: input.keycloak?.logoutRedirectUrl ?? `https://${d.keycloak.logoutRedirectHostnamePrefix}.${domainName}`,
    },
    harbor: {
      registry: input.harbor?.registry ?? `${d.harbor.hostnamePrefix}.${domainName}`,
      project: input.harbor?.project ?? d.harbor.project,
    },
    storage: { ...d.storage, ...input.storage },
    images: { ...d.images, ...input.images, families: { ...d.images.families, ...input.images?.families } },
    resources: { ...d.resources, ...input.resources },
    spawner: { ...d.spawner, ...input.spawner },
    thinkubeControl: { ...d.thinkubeControl, ...input.thinkubeControl },
    examples: { ...d.examples, ...input.examples },
    discovery: { secretAllowList: input.discovery?.secretAllowList ?? d.discovery.secretAllowList },
    delivery: input.delivery ?? d.delivery,
    routing,
    gateway: parentRef === undefined ? {} : { parentRef },
    ingress: {
      className: input.ingress?.className ?? d.ingress.className,
      tlsSecretName: input.tls?.existingSecret?.name ?? input.ingress?.tlsSecretName ?? d.ingress.tlsSecretName,
      annotations: input.ingress?.annotations ?? d.ingress.annotations,
    },
    tls: {
      mode: tlsMode,
      copyWildcardCertificate: tlsMode === 'copyWildcard',
      ...(input.tls?.issuer && { issuer: { kind: input.tls.issuer.kind ?? d.tls.issuerKind, name: input.tls.issuer.name } }),
      sourceSecretName: input.tls?.sourceSecretName ?? `${domainName.replaceAll('.', '-')}-tls`,
      sourceNamespace: input.tls?.sourceNamespace ?? d.tls.sourceNamespace,
    },
    culling: { ...d.culling, ...input.culling },
    networkPolicy: {
      enabled: input.networkPolicy?.enabled ?? d.networkPolicy.enabled,
      serviceNamespaces: input.networkPolicy?.serviceNamespaces ?? d.networkPolicy.serviceNamespaces,
      // Behind a Gateway the proxy's traffic comes from the Gateway's namespace, where most implementations run their data plane.
      ingressControllerNamespace: input.networkPolicy?.ingressControllerNamespace
        ?? (routing === 'gatewayApi' && parentRef ? parentRef.namespace : d.networkPolicy.ingressControllerNamespace),
      apiServer: { ...d.networkPolicy.apiServer, ...input.networkPolicy?.apiServer },
      podCidrs: input.networkPolicy?.podCidrs ?? d.networkPolicy.podCidrs,
    },
    anthropicApiKey: { ...d.anthropicApiKey, ...input.anthropicApiKey },
    branding: { ...d.branding, ...input.branding },
    extraValues: input.extraValues ?? d.extraValues,
  };
  const problems = [...semanticProblems(config), ...deliveryProblems(input, config)];
  if (problems.length > 0) throw new ConfigError(problems, source);
  return config;
}
