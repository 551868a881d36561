import { z } from 'zod/v3';
import {
  dnsLabel, dnsName, httpUrl, image, ipv4Cidr, nonNegativeInt, notebookFamily, port, positive, quantity, semver, username,
} from './validators.js';
import { baseUrl } from './base-url.js';
import { DELIVERIES, ISSUER_KINDS, ROUTINGS, TLS_MODES } from './delivery.js';

/**
 * The shape of `jupyterhub.config.yaml`: every field optional. Defaults and the
 * fields derived from `domainName` are filled in by `resolveConfig`.
 */
export const configInputSchema = z.strictObject({
  domainName: dnsName.optional(),
  namespace: dnsLabel.optional(),
  hostname: dnsName.optional(),
  hubUrl: baseUrl.optional(),
  adminUsers: z.array(username).min(1, { message: 'must list at least one admin' }).optional(),
  chart: z.strictObject({
    repo: httpUrl.optional(),
    name: dnsLabel.optional(),
    version: semver.optional(),
    releaseName: dnsLabel.optional(),
    helmChartNamespace: dnsLabel.optional(),
  }).optional(),
  keycloak: z.strictObject({
    url: baseUrl.optional(),
    realm: z.string().min(1).regex(/^[A-Za-z0-9_.-]+$/, { message: "is not a realm name: use letters, digits, '_', '.' and '-'" }).optional(),
    clientId: z.string().regex(/^[A-Za-z0-9_.-]+$/, { message: "is not a client id: use letters, digits, '_', '.' and '-'" }).optional(),
    adminUsername: username.optional(),
    oidcSecretName: dnsName.optional(),
    usernameClaim: z.string().min(1).optional(),
    scopes: z.array(z.string().min(1)).min(1).optional(),
    allowedGroups: z.array(z.string().min(1)).optional(),
    adminGroups: z.array(z.string().min(1)).optional(),
    groupsClaim: z.strictObject({
      enabled: z.boolean().optional(),
      name: z.string().min(1).optional(),
    }).optional(),
    logoutRedirectUrl: httpUrl.optional(),
  }).optional(),
  harbor: z.strictObject({
    registry: dnsName.optional(),
    project: dnsLabel.optional(),
  }).optional(),
  storage: z.strictObject({
    storageClassName: dnsName.optional(),
    notebooksCapacity: quantity.optional(),
    datasetsCapacity: quantity.optional(),
    modelsCapacity: quantity.optional(),
    scratchCapacity: quantity.optional(),
    examplesCapacity: quantity.optional(),
    sharedNotebooks: z.boolean().optional(),
  }).optional(),
  images: z.strictObject({
    tag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { message: 'is not an image tag' }).optional(),
    notebook: z.array(dnsLabel).min(1, { message: 'must list at least one image' }).optional(),
    families: z.record(dnsLabel, notebookFamily).optional(),
    serviceDiscovery: image.optional(),
    fixPermissions: image.optional(),
    cloneExamples: image.optional(),
  }).optional(),
  resources: z.strictObject({
    cpuLimit: positive.optional(),
    cpuGuarantee: positive.optional(),
    memoryLimitGi: positive.optional(),
    memoryGuaranteeGi: positive.optional(),
    minMemoryGi: positive.optional(),
    gpuLimit: nonNegativeInt.optional(),
  }).optional(),
  spawner: z.strictObject({
    defaultUrl: z.string().startsWith('/', { message: "must start with '/'" }).optional(),
    startTimeoutSeconds: positive.optional(),
    httpTimeoutSeconds: positive.optional(),
    deleteGracePeriodSeconds: nonNegativeInt.optional(),
    concurrentSpawnLimit: nonNegativeInt.optional(),
  }).optional(),
  thinkubeControl: z.strictObject({
    url: httpUrl.optional(),
    timeoutSeconds: positive.optional(),
    cacheTtlSeconds: nonNegativeInt.optional(),
  }).optional(),
  examples: z.strictObject({
    enabled: z.boolean().optional(),
    repository: httpUrl.optional(),
  }).optional(),
  discovery: z.strictObject({
    secretAllowList: z.array(z.strictObject({ namespace: dnsLabel, name: dnsName })).optional(),
  }).optional(),
  delivery: z.enum(DELIVERIES, { errorMap: () => ({ message: `is not a delivery: use ${DELIVERIES.map((d) => `'${d}'`).join(', ')}` }) }).optional(),
  routing: z.enum(ROUTINGS, { errorMap: () => ({ message: `is not a routing: use ${ROUTINGS.map((r) => `'${r}'`).join(' or ')}` }) }).optional(),
  gateway: z.strictObject({
    parentRef: z.strictObject({
      name: dnsName,
      namespace: dnsLabel,
      sectionName: dnsLabel.optional(),
    }).optional(),
  }).optional(),
  ingress: z.strictObject({
    className: dnsName.optional(),
    tlsSecretName: dnsName.optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }).optional(),
  tls: z.strictObject({
    mode: z.enum(TLS_MODES, { errorMap: () => ({ message: `is not a TLS mode: use ${TLS_MODES.map((m) => `'${m}'`).join(', ')}` }) }).optional(),
    copyWildcardCertificate: z.boolean().optional(),
    issuer: z.strictObject({
      kind: z.enum(ISSUER_KINDS, { errorMap: () => ({ message: "is not a cert-manager issuer kind: use 'Issuer' or 'ClusterIssuer'" }) }).optional(),
      name: dnsName,
    }).optional(),
    existingSecret: z.strictObject({ name: dnsName }).optional(),
    sourceSecretName: dnsName.optional(),
    sourceNamespace: dnsLabel.optional(),
  }).optional(),
  culling: z.strictObject({
    enabled: z.boolean().optional(),
    timeoutSeconds: positive.optional(),
    everySeconds: positive.optional(),
  }).optional(),
  networkPolicy: z.strictObject({
    enabled: z.boolean().optional(),
    serviceNamespaces: z.array(dnsLabel).optional(),
    ingressControllerNamespace: dnsLabel.or(z.literal('')).optional(),
    podCidrs: z.array(ipv4Cidr).optional(),
    apiServer: z.strictObject({
      cidrs: z.array(ipv4Cidr).min(1, { message: 'must list at least one CIDR (the API server endpoints)' }).optional(),
      port: port.optional(),
    }).optional(),
  }).optional(),
  anthropicApiKey: z.strictObject({
    secretName: dnsName.optional(),
    secretKey: z.string().min(1).optional(),
  }).optional(),
  branding: z.strictObject({ announcement: z.string().optional() }).optional(),
  extraValues: z.record(z.string(), z.unknown()).optional(),
});

export type ConfigInput = z.infer<typeof configInputSchema>;
