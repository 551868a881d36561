import { BootstrapError } from '../bootstrap/errors.js';
import { ExitCode } from '../bootstrap/exit-codes.js';
import type { Reporter } from '../bootstrap/reporter.js';
import type { TeardownCluster } from './cluster.js';
import { legacyIngress } from './legacy.js';
import { CHART_KINDS, type TeardownPlan } from './plan.js';
import { type Target, describeTarget } from './target.js';

/** The label KubeSpawner (as the Z2JH chart configures it) puts on every notebook pod. */
const NOTEBOOK_POD_SELECTOR = 'component=singleuser-server';

export interface TeardownOptions {
  /** Only report what would go. */
  readonly dryRun?: boolean;
  /** Also delete the claims and their namespace (the caller has checked the typed confirmation). */
  readonly deleteData?: boolean;
  /** How long to wait for the helm-controller to uninstall the release, and for a namespace to go. */
  readonly timeoutMs: number;
  readonly pollMs?: number;
}

async function remove(cluster: TeardownCluster, target: Target, options: TeardownOptions, reporter: Reporter): Promise<void> {
  const name = describeTarget(target);
  if (options.dryRun) {
    reporter.step(name, await cluster.read(target) === undefined ? 'absent' : 'would delete');
    return;
  }
  if (!await cluster.delete(target)) {
    reporter.step(name, 'absent');
    return;
  }
  if (!CHART_KINDS.includes(target.kind)) {
    reporter.step(name, 'deleted');
    return;
  }
  // The controller's finalizer holds the chart object until it has uninstalled
  // the release; the release's namespace must outlive that.
  if (!await cluster.waitGone(target, options.timeoutMs, options.pollMs)) {
    const how = target.kind === 'HelmRelease'
      ? `Flux's helm-controller uninstalls the release (kubectl -n ${target.namespace} describe helmrelease ${target.name})`
      : `the helm-controller uninstalls the release with Job helm-delete-${target.name} (kubectl -n ${target.namespace} logs job/helm-delete-${target.name})`;
    throw new BootstrapError(
      `${name} is still being removed after ${options.timeoutMs / 1000} s: ${how}. `
      + `Nothing after it was deleted; run teardown again once the ${target.kind} is gone.`,
      ExitCode.unexpected,
    );
  }
  reporter.step(name, 'deleted (its controller uninstalled the release)');
}

async function removeData(cluster: TeardownCluster, plan: TeardownPlan, options: TeardownOptions, reporter: Reporter): Promise<void> {
  if (options.deleteData) {
    for (const claim of plan.claims) await remove(cluster, claim, options, reporter);
  } else {
    for (const claim of plan.claims) {
      const present = await cluster.read(claim) !== undefined;
      reporter.step(describeTarget(claim), present ? 'kept (user data; --delete-data removes it)' : 'absent');
    }
  }
  for (const namespace of plan.namespaces) {
    const name = describeTarget(namespace);
    if (await cluster.read(namespace) === undefined) {
      reporter.step(name, 'absent');
      continue;
    }
    const claims = await cluster.claimsIn(namespace.name);
    if (!options.deleteData && claims.length > 0) {
      reporter.step(name, `kept: holds ${claims.length} claim${claims.length === 1 ? '' : 's'} (${claims.join(', ')})`);
      // The hub started them, not apply: left running, nothing culls or routes to them any more.
      const notebooks = await cluster.podsIn(namespace.name, NOTEBOOK_POD_SELECTOR);
      if (notebooks.length > 0) {
        const one = notebooks.length === 1;
        reporter.warn(`${notebooks.length} notebook pod${one ? ' still runs' : 's still run'} in namespace ${namespace.name} (${notebooks.join(', ')}): `
          + `once their users have saved their work, kubectl -n ${namespace.name} delete pods -l ${NOTEBOOK_POD_SELECTOR}`);
      }
      continue;
    }
    if (options.dryRun) {
      reporter.step(name, 'would delete');
      continue;
    }
    await cluster.delete(namespace);
    const gone = await cluster.waitGone(namespace, options.timeoutMs, options.pollMs);
    reporter.step(name, gone ? 'deleted' : 'deleting (still terminating; its objects are being removed)');
  }
}

/**
 * Removes what `kubectl apply -f dist` created, in the order of `plan`, and
 * keeps user data (the claims, and each namespace while it holds any claim)
 * unless `deleteData` is set. Every step is one request, so a second run
 * finishes an interrupted one.
 */
export async function teardown(cluster: TeardownCluster, plan: TeardownPlan, options: TeardownOptions, reporter: Reporter): Promise<void> {
  for (const target of plan.shared) {
    reporter.step(describeTarget(target), 'kept (shared with the cluster: other HelmCharts depend on the helm-controller and its CRDs; delete it by hand once none is left)');
  }
  for (const phase of plan.phases) {
    for (const target of phase) await remove(cluster, target, options, reporter);
  }
  await removeData(cluster, plan, options, reporter);
}

/** Removes only the Ingress the Ansible playbook created (`--legacy`). */
export async function removeLegacy(cluster: TeardownCluster, namespace: string, options: TeardownOptions, reporter: Reporter): Promise<void> {
  await remove(cluster, legacyIngress(namespace), options, reporter);
}
