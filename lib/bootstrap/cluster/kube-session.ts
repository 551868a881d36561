import {
  AuthorizationV1Api, type Configuration, KubeConfig, type KubernetesObject, KubernetesObjectApi, PatchStrategy, type RequestContext,
  type ResponseContext, ServerConfiguration, createConfiguration,
} from '@kubernetes/client-node';
import { TOOL_DEFAULTS } from '../../config/index.js';
import { BootstrapError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { OWNER } from '../owner.js';
import { DEFAULT_RETRY, type RetryPolicy, withRetry } from '../retry.js';
import { apiStatus, clusterDescription, isTransientKube, kubeFailure } from './kube-failure.js';

/** The field manager of every object this command applies (server-side apply). */
export const FIELD_MANAGER = OWNER;

/**
 * Loads the user's kubeconfig for every command that talks to the cluster:
 * `file` when given (a command's --kubeconfig), else the files in `KUBECONFIG`
 * of `env`, else ~/.kube/config. A kubeconfig that cannot be read is a
 * BootstrapError with exit code clusterUnreachable.
 */
export function loadKubeConfig(env: NodeJS.ProcessEnv = process.env, file?: string): KubeConfig {
  const kubeconfig = new KubeConfig();
  const files = file === undefined ? (env.KUBECONFIG ?? '').split(':').filter(Boolean) : [file];
  try {
    if (files.length === 1) kubeconfig.loadFromFile(files[0]);
    else kubeconfig.loadFromDefault();
  } catch (error) {
    throw new BootstrapError(`cannot load the kubeconfig ${files.join(':') || '(default)'}: ${(error as Error).message}`, ExitCode.clusterUnreachable);
  }
  return kubeconfig;
}

/** The permissions bootstrap-keycloak needs, named when the API server refuses one. */
const NEEDS = 'get/create/patch on namespaces and secrets';

/** Per-request deadline towards the cluster when none is given. */
export const DEFAULT_KUBE_TIMEOUT_MS = TOOL_DEFAULTS.requestTimeoutSeconds * 1000;

/**
 * The configuration KubeConfig.makeApiClient builds, plus an abort signal per
 * request: an API server that accepts connections and never answers fails the
 * request after `timeoutMs` instead of hanging the command.
 */
export function boundedConfiguration(kubeconfig: KubeConfig, timeoutMs: number = DEFAULT_KUBE_TIMEOUT_MS): Configuration {
  const server = kubeconfig.getCurrentCluster()?.server;
  if (server === undefined) {
    throw new BootstrapError(`the kubeconfig has no current cluster (context "${kubeconfig.getCurrentContext()}"): fix KUBECONFIG or its current-context`, ExitCode.clusterUnreachable);
  }
  return createConfiguration({
    baseServer: new ServerConfiguration(server, {}),
    authMethods: { default: kubeconfig },
    promiseMiddleware: [{
      pre: async (context: RequestContext) => {
        context.setSignal(AbortSignal.timeout(timeoutMs));
        return context;
      },
      post: async (response: ResponseContext) => response,
    }],
  });
}

/** An API client (CoreV1Api, …) whose every request has a deadline, as `kubeconfig.makeApiClient(api)` without one. */
export function boundedApiClient<T>(kubeconfig: KubeConfig, api: new (configuration: Configuration) => T, timeoutMs?: number): T {
  return new api(boundedConfiguration(kubeconfig, timeoutMs));
}

/** Rejects after `ms`: a backstop for what the abort signal cannot stop (an exec credential plugin that never returns). */
function withDeadline<T>(operation: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms / 1000} s`), { name: 'TimeoutError' })), ms);
  });
  return Promise.race([operation, deadline]).finally(() => clearTimeout(timer));
}

/**
 * The cluster side through the user's kubeconfig: reads, server-side applies
 * with FIELD_MANAGER and access reviews. Every request has a deadline (an
 * API server that accepts connections and never answers must not hang the
 * run), is retried on connection errors, timeouts, 429 and 5xx, and fails
 * with a BootstrapError that names the cluster and the context.
 */
export class KubeSession {
  private readonly api: KubernetesObjectApi;
  private readonly authorization: AuthorizationV1Api;
  readonly where: string;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;

  constructor(kubeconfig: KubeConfig, options: { readonly timeoutMs?: number; readonly retry?: RetryPolicy } = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_KUBE_TIMEOUT_MS;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.where = clusterDescription(kubeconfig);
    const configuration = boundedConfiguration(kubeconfig, this.timeoutMs);
    this.api = new KubernetesObjectApi(configuration);
    this.authorization = new AuthorizationV1Api(configuration);
  }


  /** The object, or undefined when it does not exist. */
  async read<T extends KubernetesObject>(spec: T, action: string): Promise<T | undefined> {
    return this.call(action, async () => {
      try {
        return await this.api.read(spec as KubernetesObject & { metadata: { name: string } }) as T;
      } catch (error) {
        if (apiStatus(error) === 404) return undefined;
        throw error;
      }
    });
  }

  async apply(object: KubernetesObject, action: string): Promise<void> {
    // force: take over the fields we manage from kubectl or the old playbook (see README, "What the bootstrap owns").
    await this.call(action, () => this.api.patch(object, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply));
  }

  /** Whether the kubeconfig's user may `verb` `resource` in `namespace` (kubectl auth can-i). */
  async canI(verb: string, resource: string, namespace: string, name?: string): Promise<boolean> {
    const review = await this.call(`asking whether it may ${verb} ${resource} in ${namespace}`, () => this.authorization.createSelfSubjectAccessReview({
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb, resource, namespace, name } } },
    }));
    return review.status?.allowed === true;
  }

  private async call<T>(action: string, operation: () => Promise<T>): Promise<T> {
    try {
      // The backstop leaves the signal (timeoutMs) room to fire first.
      return await withRetry(() => withDeadline(operation(), this.timeoutMs + 1_000), isTransientKube, this.retry);
    } catch (error) {
      throw kubeFailure(error, { where: this.where, action, needs: NEEDS, timeoutMs: this.timeoutMs, retried: true });
    }
  }
}
