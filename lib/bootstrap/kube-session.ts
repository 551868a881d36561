import {
  ApiException, KubeConfig, type KubernetesObject, KubernetesObjectApi, PatchStrategy,
} from '@kubernetes/client-node';
import { BootstrapError } from './errors.js';
import { ExitCode } from './exit-codes.js';
import { withRetry } from './retry.js';

/** The field manager of every object this command applies (server-side apply). */
export const FIELD_MANAGER = 'thinkube-jupyterhub-bootstrap';

/** Loads the user's kubeconfig: the files in `KUBECONFIG` of `env`, else ~/.kube/config. */
export function loadKubeConfig(env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const kubeconfig = new KubeConfig();
  const files = (env.KUBECONFIG ?? '').split(':').filter(Boolean);
  try {
    if (files.length === 1) kubeconfig.loadFromFile(files[0]);
    else kubeconfig.loadFromDefault();
  } catch (error) {
    throw new BootstrapError(`cannot load the kubeconfig ${files.join(':') || '(default)'}: ${(error as Error).message}`, ExitCode.clusterUnreachable);
  }
  return kubeconfig;
}

function transient(error: unknown): boolean {
  if (error instanceof ApiException) return error.code >= 500;
  return error instanceof Error && (error.name === 'FetchError' || (error as { code?: unknown }).code === 'ECONNRESET');
}

/**
 * The cluster side through the user's kubeconfig: reads, and server-side
 * applies with FIELD_MANAGER, each retried on connection errors and 5xx and
 * failing with a BootstrapError that names the cluster and the context.
 */
export class KubeSession {
  private readonly api: KubernetesObjectApi;
  private readonly where: string;

  constructor(kubeconfig: KubeConfig) {
    this.api = KubernetesObjectApi.makeApiClient(kubeconfig);
    const server = kubeconfig.getCurrentCluster()?.server ?? '(no server)';
    this.where = `cluster ${server} (context "${kubeconfig.getCurrentContext()}")`;
  }

  /** The object, or undefined when it does not exist. */
  async read<T extends KubernetesObject>(spec: T, action: string): Promise<T | undefined> {
    return this.call(action, async () => {
      try {
        return await this.api.read(spec as KubernetesObject & { metadata: { name: string } }) as T;
      } catch (error) {
        if (error instanceof ApiException && error.code === 404) return undefined;
        throw error;
      }
    });
  }

  async apply(object: KubernetesObject, action: string): Promise<void> {
    // force: take over fields that kubectl or the old playbook set on the same object.
    await this.call(action, () => this.api.patch(object, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply));
  }

  private async call<T>(action: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await withRetry(operation, transient);
    } catch (error) {
      throw this.failure(error, action);
    }
  }

  private failure(error: unknown, action: string): BootstrapError {
    if (error instanceof BootstrapError) return error;
    if (error instanceof ApiException) {
      if (error.code === 401) {
        return new BootstrapError(`${this.where} refused the kubeconfig's credentials (401) while ${action}: log in again or fix KUBECONFIG`, ExitCode.clusterUnreachable);
      }
      if (error.code === 403) {
        return new BootstrapError(`${this.where}: the kubeconfig's user may not do this (403 while ${action}): it needs get/create/patch on namespaces and secrets`, ExitCode.forbidden);
      }
      return new BootstrapError(`${this.where} failed while ${action} (${error.code})`, error.code >= 500 ? ExitCode.clusterUnreachable : ExitCode.unexpected);
    }
    const message = error instanceof Error ? error.message : String(error);
    return new BootstrapError(`${this.where} is unreachable while ${action}, also after retries: ${message} (check KUBECONFIG and the current context)`, ExitCode.clusterUnreachable);
  }
}
