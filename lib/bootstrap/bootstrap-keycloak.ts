import type { KubeConfig, V1Secret } from '@kubernetes/client-node';
import type { Config } from '../config/index.js';
import { applyObject } from './apply-object.js';
import { clientSecret } from './client-secret.js';
import { reconcileDefaultScopes } from './client-scopes.js';
import { desiredClient, desiredDefaultScopes } from './desired-client.js';
import { BootstrapError } from './errors.js';
import { ExitCode } from './exit-codes.js';
import { reconcileGroupsMapper } from './groups-mapper.js';
import { KeycloakSession } from './keycloak-session.js';
import type { KubeSession } from './kube-session.js';
import { namespaceObject, oidcSecret, sameSecretData, tlsSecretCopy } from './kube-objects.js';
import { checkManifestPath, writeManifest } from './manifest-file.js';
import { reconcileClient } from './reconcile-client.js';
import type { Reporter } from './reporter.js';
import type { RetryPolicy } from './retry.js';

export interface BootstrapKeycloakOptions {
  /** Password of `config.keycloak.adminUsername` in the master realm (ADMIN_PASSWORD). */
  readonly adminPassword?: string;
  /** Client-credentials login instead of the admin user's password. */
  readonly adminClientId?: string;
  readonly adminClientSecret?: string;
  /** Print the plan; write nothing to Keycloak, the cluster or files. */
  readonly dryRun?: boolean;
  /** Generate a new client secret instead of reading the current one. */
  readonly rotateSecret?: boolean;
  /** Write the Secret manifest to this file (mode 0600) instead of applying it; no cluster access. */
  readonly writeManifest?: string;
  readonly caFile?: string;
  readonly insecure?: boolean;
  /** Per-request timeout towards Keycloak. @default 10000 */
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  /** The cluster, loaded only when a step needs it. @default - KUBECONFIG, else ~/.kube/config */
  readonly kubeconfig?: () => KubeConfig | Promise<KubeConfig>;
  /** Base for --write-manifest. @default process.cwd() */
  readonly cwd?: string;
  /** Told about every secret value as soon as it is known, so that it can be masked in any output. */
  readonly onSecret?: (value: string) => void;
}

function describe(outcome: string, details: readonly string[]): string {
  return details.length > 0 ? `${outcome} (${details.join(', ')})` : outcome;
}

/**
 * Makes Keycloak and the cluster ready for the hub (spec:
 * 10_configure_keycloak.yaml): the OIDC client reconciled, its secret in
 * Secret `jupyterhub-oidc-secret`, the wildcard certificate copied. Idempotent:
 * a second run reads and writes nothing. One reporter line per step.
 */
export async function bootstrapKeycloak(config: Config, options: BootstrapKeycloakOptions, report: Reporter): Promise<void> {
  const kc = config.keycloak;
  const clientCredentials = Boolean(options.adminClientId && options.adminClientSecret);
  if (!clientCredentials && !options.adminPassword) {
    throw new BootstrapError(`ADMIN_PASSWORD is not set: export the password of Keycloak admin "${kc.adminUsername}" (master realm)`, ExitCode.usage);
  }
  const manifest = options.writeManifest === undefined ? undefined : checkManifestPath(options.writeManifest, options.cwd ?? process.cwd());
  if (options.insecure) {
    report.warn(`TLS VERIFICATION OF ${kc.url} IS OFF (--insecure): anyone on the network path can read the admin password and the client secret. Use --ca-file instead.`);
  }

  const secret = await reconcileKeycloak(config, options, report);
  if (manifest !== undefined) {
    writeManifestStep(config, options, manifest, secret, report);
    return;
  }
  await reconcileCluster(config, options, secret, report);
}

/** The client, its scopes and groups mapper; returns its secret (undefined in a dry run that would create it). */
async function reconcileKeycloak(config: Config, options: BootstrapKeycloakOptions, report: Reporter): Promise<string | undefined> {
  const kc = config.keycloak;
  const dryRun = options.dryRun ?? false;
  const clientCredentials = Boolean(options.adminClientId && options.adminClientSecret);
  const session = await KeycloakSession.open({
    url: kc.url,
    realm: kc.realm,
    adminUsername: kc.adminUsername,
    adminPassword: options.adminPassword,
    adminClientId: options.adminClientId,
    adminClientSecret: options.adminClientSecret,
    caFile: options.caFile,
    insecure: options.insecure,
    timeoutMs: options.timeoutMs,
    retry: options.retry,
  });
  report.step(`keycloak login ${clientCredentials ? options.adminClientId : kc.adminUsername}@master`, 'ok');

  const clientName = `keycloak client ${kc.clientId} (realm ${kc.realm})`;
  const client = await reconcileClient(session, desiredClient(config), dryRun);
  report.step(clientName, describe(client.action, client.changes));

  if (client.client === undefined) {
    report.step('keycloak client scopes', `would add ${desiredDefaultScopes(config).join(', ')} if missing`);
    report.step('keycloak groups mapper', kc.groupsClaim.enabled ? 'would create' : 'disabled');
    report.step('keycloak client secret', 'would read the one Keycloak generates');
    return undefined;
  }
  const added = await reconcileDefaultScopes(session, client.client, desiredDefaultScopes(config), dryRun);
  report.step('keycloak client scopes', added.length === 0 ? 'unchanged' : `${dryRun ? 'would add' : 'added'} ${added.join(', ')}`);
  report.step('keycloak groups mapper', await reconcileGroupsMapper(session, client.client, kc.groupsClaim, dryRun));
  if (dryRun && options.rotateSecret) {
    report.step('keycloak client secret', 'would rotate');
    return undefined;
  }
  const secret = await clientSecret(session, client.client.id, kc.clientId, options.rotateSecret ?? false);
  options.onSecret?.(secret);
  report.step('keycloak client secret', options.rotateSecret ? 'rotated' : 'read');
  return secret;
}

function writeManifestStep(config: Config, options: BootstrapKeycloakOptions, target: string, secret: string | undefined, report: Reporter): void {
  const name = `manifest ${options.writeManifest}`;
  if (secret === undefined || options.dryRun) {
    report.step(name, 'would write (mode 0600)');
  } else {
    report.step(name, `${writeManifest(target, oidcSecret(config, secret))} (mode 0600)`);
  }
  report.step(`tls secret ${config.namespace}/${config.ingress.tlsSecretName}`, 'skipped (--write-manifest: no cluster access)');
}

/** The namespace, the OIDC Secret and the TLS copy, through the user's kubeconfig. */
async function reconcileCluster(config: Config, options: BootstrapKeycloakOptions, secret: string | undefined, report: Reporter): Promise<void> {
  const dryRun = options.dryRun ?? false;
  // The Kubernetes client takes about a second to load: only when the cluster is used.
  const { KubeSession: Session, loadKubeConfig } = await import('./kube-session.js');
  const kube = new Session(await (options.kubeconfig ?? loadKubeConfig)());
  report.step(`namespace ${config.namespace}`, await applyObject(kube, namespaceObject(config.namespace), () => true, dryRun));
  const secretName = `secret ${config.namespace}/${config.keycloak.oidcSecretName}`;
  if (secret === undefined) {
    report.step(secretName, 'would write the new client secret');
  } else {
    const desired = oidcSecret(config, secret);
    report.step(secretName, await applyObject(kube, desired, (existing) => sameSecretData(existing, desired), dryRun));
  }
  await copyTlsCertificate(config, kube, dryRun, report);
}

async function copyTlsCertificate(config: Config, kube: KubeSession, dryRun: boolean, report: Reporter): Promise<void> {
  const { copyWildcardCertificate, sourceNamespace, sourceSecretName } = config.tls;
  const target = `tls secret ${config.namespace}/${config.ingress.tlsSecretName}`;
  if (!copyWildcardCertificate) {
    report.step(target, 'skipped (tls.copyWildcardCertificate is false)');
    return;
  }
  const sourceRef: V1Secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: sourceSecretName, namespace: sourceNamespace } };
  const source = await kube.read(sourceRef, `reading Secret ${sourceNamespace}/${sourceSecretName}`);
  if (source === undefined) {
    throw new BootstrapError(
      `tls.sourceSecretName: Secret ${sourceNamespace}/${sourceSecretName} does not exist: create the wildcard certificate first, `
      + 'point tls.sourceSecretName/tls.sourceNamespace at it, or set tls.copyWildcardCertificate: false',
      ExitCode.usage,
    );
  }
  const copy = tlsSecretCopy(config, source);
  const outcome = await applyObject(kube, copy, (existing) => sameSecretData(existing, copy), dryRun);
  report.step(`${target} from ${sourceNamespace}/${sourceSecretName}`, outcome);
}
