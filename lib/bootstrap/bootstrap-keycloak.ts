import { resolve } from 'node:path';
import type { KubeConfig, V1Secret } from '@kubernetes/client-node';
import type { Config } from '../config/index.js';
import { applyObject } from './cluster/apply-object.js';
import { namespaceObject, oidcSecret, tlsSecretCopy } from './cluster/kube-objects.js';
import type { KubeSession } from './cluster/kube-session.js';
import { type PendingManifest, SYNTH_OUTPUT_DIR, checkManifestPath, openManifest } from './cluster/manifest-file.js';
import { checkSecretWritable, checkTlsSource, foreignDataKeys, secretIsCurrent } from './cluster/secret-ownership.js';
import { BootstrapError } from './errors.js';
import { ExitCode } from './exit-codes.js';
import { describeScopes, reconcileDefaultScopes } from './keycloak/client-scopes.js';
import { clientSecret } from './keycloak/client-secret.js';
import { desiredClient, desiredDefaultScopes } from './keycloak/desired-client.js';
import { reconcileGroupsMapper } from './keycloak/groups-mapper.js';
import { KeycloakSession } from './keycloak/keycloak-session.js';
import { reconcileClient } from './keycloak/reconcile-client.js';
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
  /** Generate a new client secret instead of reading the current one (after checking it can be delivered). */
  readonly rotateSecret?: boolean;
  /** Reconcile an existing client that this command did not create (--adopt-client). */
  readonly adoptClient?: boolean;
  /** Write the Secret manifest to this file (mode 0600) instead of applying it; no cluster access. */
  readonly writeManifest?: string;
  readonly caFile?: string;
  readonly insecure?: boolean;
  /** Per-request timeout towards Keycloak and the cluster. @default 10000 */
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  /** The cluster, loaded only when a step needs it. @default - KUBECONFIG, else ~/.kube/config */
  readonly kubeconfig?: () => KubeConfig | Promise<KubeConfig>;
  /** Base for --write-manifest. @default process.cwd() */
  readonly cwd?: string;
  /** Directories --write-manifest must stay out of. @default - <cwd>/dist */
  readonly synthOutputDirs?: readonly string[];
  /** How the operator ran this command, for the recovery hint after a failed rotation. @default 'thinkube-jupyterhub bootstrap-keycloak' */
  readonly command?: string;
  /** Told about every secret value as soon as it is known, so that it can be masked in any output. */
  readonly onSecret?: (value: string) => void;
}

function describe(outcome: string, details: readonly string[]): string {
  return details.length > 0 ? `${outcome} (${details.join(', ')})` : outcome;
}

const given = (value: string | undefined): value is string => value !== undefined && value !== '';

/** Refuses half-given credentials instead of silently falling back to another login. */
function checkCredentials(config: Config, options: BootstrapKeycloakOptions): void {
  const id = given(options.adminClientId);
  const secret = given(options.adminClientSecret);
  if (id && !secret) {
    throw new BootstrapError(
      `KEYCLOAK_ADMIN_CLIENT_ID "${options.adminClientId}" is set without KEYCLOAK_ADMIN_CLIENT_SECRET: export both to log in with client credentials, `
      + 'or unset KEYCLOAK_ADMIN_CLIENT_ID to log in with ADMIN_PASSWORD',
      ExitCode.usage,
    );
  }
  if (secret && !id) {
    throw new BootstrapError('KEYCLOAK_ADMIN_CLIENT_SECRET is set without KEYCLOAK_ADMIN_CLIENT_ID: export the client id too, or unset the secret', ExitCode.usage);
  }
  if (!id && !given(options.adminPassword)) {
    throw new BootstrapError(`ADMIN_PASSWORD is not set: export the password of Keycloak admin "${config.keycloak.adminUsername}" (master realm)`, ExitCode.usage);
  }
}

/** Hosts whose traffic never leaves this machine (e.g. a kubectl port-forward). */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || /^127\./.test(hostname) || hostname === '[::1]';
}

function warnAboutTransport(url: string, options: BootstrapKeycloakOptions, report: Reporter): void {
  if (options.insecure) {
    report.warn(`TLS VERIFICATION OF ${url} IS OFF (--insecure): anyone on the network path can read the admin password and the client secret. Use --ca-file instead.`);
  }
  const parsed = new URL(url);
  if (parsed.protocol === 'http:' && !isLoopback(parsed.hostname)) {
    report.warn(`${url} IS PLAIN HTTP: the admin password and the client secret cross the network unencrypted. Use https:// (with --ca-file for a private CA).`);
  }
}

/**
 * Makes Keycloak and the cluster ready for the hub (spec:
 * 10_configure_keycloak.yaml): the OIDC client reconciled, its secret in
 * Secret `jupyterhub-oidc-secret`, the wildcard certificate copied. Idempotent:
 * a second run reads and writes nothing. One reporter line per step.
 */
export async function bootstrapKeycloak(config: Config, options: BootstrapKeycloakOptions, report: Reporter): Promise<void> {
  checkCredentials(config, options);
  const cwd = options.cwd ?? process.cwd();
  const manifestPath = options.writeManifest === undefined
    ? undefined
    : checkManifestPath(options.writeManifest, cwd, options.synthOutputDirs ?? [resolve(cwd, SYNTH_OUTPUT_DIR)]);
  warnAboutTransport(config.keycloak.url, options, report);
  const dryRun = options.dryRun ?? false;
  const cluster = new ClusterAccess(options);
  // The delivery path is checked before Keycloak is touched: a rotated secret
  // that cannot be written leaves the hub holding a dead one.
  const manifest = manifestPath !== undefined && !dryRun ? openManifest(manifestPath, options.writeManifest) : undefined;
  const rotation = { rotated: false };
  try {
    if (options.rotateSecret && !dryRun && manifest === undefined) await checkSecretDelivery(config, cluster, report);
    const secret = await reconcileKeycloak(config, options, report, rotation);
    if (manifestPath !== undefined) {
      writeManifestStep(config, options, manifest, secret, report);
      return;
    }
    await reconcileCluster(config, cluster, dryRun, secret, report);
  } catch (error) {
    throw rotation.rotated ? undelivered(error, options) : error;
  } finally {
    manifest?.abort();
  }
}

/** The failure, plus what to run once it is fixed, when the new secret is in Keycloak only. */
function undelivered(error: unknown, options: BootstrapKeycloakOptions): BootstrapError {
  const failure = error instanceof BootstrapError
    ? error
    : new BootstrapError(`unexpected: ${error instanceof Error ? error.message : String(error)}`, ExitCode.unexpected);
  const command = [options.command ?? 'thinkube-jupyterhub bootstrap-keycloak', ...(options.writeManifest ? ['--write-manifest', options.writeManifest] : [])].join(' ');
  return new BootstrapError(
    `${failure.message}\nThe client secret WAS ROTATED in Keycloak but not delivered: the hub still holds the old one and its logins fail. `
    + `Once the cause above is fixed, run: ${command}   (without --rotate-secret: it delivers the current secret), then restart the hub.`,
    failure.exitCode,
  );
}

/** The cluster, connected on first use: a run with --write-manifest never touches it. */
class ClusterAccess {
  private session?: Promise<KubeSession>;

  constructor(private readonly options: BootstrapKeycloakOptions) {}

  get(): Promise<KubeSession> {
    this.session ??= (async () => {
      // The Kubernetes client takes about a second to load: only when the cluster is used.
      const { KubeSession: Session, loadKubeConfig } = await import('./cluster/kube-session.js');
      return new Session(await (this.options.kubeconfig ?? loadKubeConfig)(), { timeoutMs: this.options.timeoutMs });
    })();
    return this.session;
  }
}

/**
 * Before --rotate-secret: the OIDC Secret can be written (it is not of another
 * type or immutable, and the kubeconfig's user may create or patch it, as
 * `kubectl auth can-i` would answer).
 */
async function checkSecretDelivery(config: Config, cluster: ClusterAccess, report: Reporter): Promise<void> {
  const kube = await cluster.get();
  const { namespace } = config;
  const name = config.keycloak.oidcSecretName;
  const desired = oidcSecret(config, '');
  const needed: [verb: string, resource: string, scope: string][] = [];
  if (await kube.read(namespaceObject(namespace), `reading Namespace ${namespace}`) === undefined) needed.push(['create', 'namespaces', '']);
  const existing = await kube.read(desired, `reading Secret ${namespace}/${name}`);
  // An empty secret: any existing immutable Secret counts as holding other values, as it will after rotating.
  checkSecretWritable(existing, desired, 'keycloak.oidcSecretName');
  needed.push(existing === undefined ? ['create', 'secrets', namespace] : ['patch', 'secrets', namespace]);
  for (const [verb, resource, scope] of needed) {
    if (!await kube.canI(verb, resource, scope, resource === 'secrets' && existing !== undefined ? name : undefined)) {
      throw new BootstrapError(
        `${kube.where}: the kubeconfig's user may not ${verb} ${resource}${scope ? ` in namespace ${scope}` : ''} `
        + `(kubectl auth can-i ${verb} ${resource}${scope ? ` -n ${scope}` : ''} says no), so a rotated secret could not be delivered: nothing was rotated. `
        + 'Grant it that right, or rotate with --write-manifest FILE',
        ExitCode.forbidden,
      );
    }
  }
  report.step(`secret ${namespace}/${name}`, 'writable (checked before rotating)');
}

/** The client, its scopes and groups mapper; returns its secret (undefined in a dry run that would create it). */
async function reconcileKeycloak(config: Config, options: BootstrapKeycloakOptions, report: Reporter, rotation: { rotated: boolean }): Promise<string | undefined> {
  const kc = config.keycloak;
  const dryRun = options.dryRun ?? false;
  const session = await KeycloakSession.open({
    url: kc.url,
    realm: kc.realm,
    adminUsername: kc.adminUsername,
    adminPassword: options.adminPassword,
    adminClientId: given(options.adminClientId) ? options.adminClientId : undefined,
    adminClientSecret: given(options.adminClientSecret) ? options.adminClientSecret : undefined,
    caFile: options.caFile,
    insecure: options.insecure,
    timeoutMs: options.timeoutMs,
    retry: options.retry,
  });
  report.step(`keycloak login ${session.login.name}@master`, 'ok');

  const clientName = `keycloak client ${kc.clientId} (realm ${kc.realm})`;
  const client = await reconcileClient(session, desiredClient(config), { realm: kc.realm, dryRun, adopt: options.adoptClient ?? false });
  report.step(clientName, describe(client.action, client.changes));

  if (client.client === undefined) {
    report.step('keycloak client scopes', `would make ${desiredDefaultScopes(config).join(', ')} default if they are not`);
    report.step('keycloak groups mapper', kc.groupsClaim.enabled ? 'would create' : 'disabled');
    report.step('keycloak client secret', 'would read the one Keycloak generates');
    return undefined;
  }
  const scopes = await reconcileDefaultScopes(session, client.client, desiredDefaultScopes(config), dryRun);
  report.step('keycloak client scopes', describeScopes(scopes, dryRun));
  report.step('keycloak groups mapper', await reconcileGroupsMapper(session, client.client, kc.groupsClaim, dryRun));
  if (dryRun && options.rotateSecret) {
    report.step('keycloak client secret', 'would rotate');
    return undefined;
  }
  if (options.rotateSecret) rotation.rotated = true; // from here on, a failure may leave the new secret undelivered
  const secret = await clientSecret(session, client.client.id, kc.clientId, options.rotateSecret ?? false);
  options.onSecret?.(secret);
  report.step('keycloak client secret', options.rotateSecret ? 'rotated' : 'read');
  return secret;
}

function writeManifestStep(config: Config, options: BootstrapKeycloakOptions, manifest: PendingManifest | undefined, secret: string | undefined, report: Reporter): void {
  const name = `manifest ${options.writeManifest}`;
  if (secret === undefined || manifest === undefined) {
    report.step(name, 'would write (mode 0600)');
  } else {
    report.step(name, `${manifest.commit(oidcSecret(config, secret))} (mode 0600)`);
  }
  report.step(`tls secret ${config.namespace}/${config.ingress.tlsSecretName}`, 'skipped (--write-manifest: no cluster access)');
}

/** The outcome, naming data keys another manager added (left in place: see secret-ownership.ts). */
function withForeignKeys(outcome: string, existing: V1Secret | undefined, desired: V1Secret): string {
  const foreign = existing === undefined ? [] : foreignDataKeys(existing, desired);
  return foreign.length === 0 ? outcome : `${outcome}; left keys it does not manage: ${foreign.join(', ')}`;
}

/** Applies a Secret this command owns, after refusing what the API server would reject. */
async function applySecret(kube: KubeSession, desired: V1Secret, field: string, dryRun: boolean): Promise<string> {
  const name = `${desired.metadata?.namespace}/${desired.metadata?.name}`;
  const existing = await kube.read(desired, `reading Secret ${name}`);
  checkSecretWritable(existing, desired, field);
  const outcome = await applyObject(kube, desired, (current) => secretIsCurrent(current, desired), dryRun, existing);
  return withForeignKeys(outcome, existing, desired);
}

/** The namespace, the OIDC Secret and the TLS copy, through the user's kubeconfig. */
async function reconcileCluster(config: Config, cluster: ClusterAccess, dryRun: boolean, secret: string | undefined, report: Reporter): Promise<void> {
  const kube = await cluster.get();
  report.step(`namespace ${config.namespace}`, await applyObject(kube, namespaceObject(config.namespace), () => true, dryRun));
  const secretName = `secret ${config.namespace}/${config.keycloak.oidcSecretName}`;
  if (secret === undefined) {
    report.step(secretName, 'would write the new client secret');
  } else {
    report.step(secretName, await applySecret(kube, oidcSecret(config, secret), 'keycloak.oidcSecretName', dryRun));
  }
  await copyTlsCertificate(config, kube, dryRun, report);
}

async function copyTlsCertificate(config: Config, kube: KubeSession, dryRun: boolean, report: Reporter): Promise<void> {
  const { copyWildcardCertificate, sourceNamespace, sourceSecretName } = config.tls;
  const target = `tls secret ${config.namespace}/${config.ingress.tlsSecretName}`;
  if (!copyWildcardCertificate) {
    report.step(target, `skipped (tls.mode is ${config.tls.mode}: the bootstrap copies the wildcard certificate only in copyWildcard)`);
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
  checkTlsSource(source, `${sourceNamespace}/${sourceSecretName}`);
  const outcome = await applySecret(kube, tlsSecretCopy(config, source), 'ingress.tlsSecretName', dryRun);
  report.step(`${target} from ${sourceNamespace}/${sourceSecretName}`, outcome);
}
