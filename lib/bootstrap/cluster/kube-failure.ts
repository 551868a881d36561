import { ApiException, type KubeConfig } from '@kubernetes/client-node';
import { BootstrapError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';

/**
 * What a Kubernetes API failure message names: where, what was being done,
 * and what the command needs from the kubeconfig's user. Every command that
 * talks to the cluster (bootstrap-keycloak, preflight, teardown) maps its
 * failures through kubeFailure, so one cause reads the same in each.
 */
export interface KubeFailureContext {
  /** The cluster and context, from clusterDescription. */
  readonly where: string;
  /** What was being done: `reading Secret jupyterhub/jupyterhub-oidc-secret`. */
  readonly action: string;
  /** The permissions the command needs, named on a 403: `get/create/patch on namespaces and secrets`. */
  readonly needs: string;
  /** The per-request deadline (the command's --timeout), named when a request timed out. @default - the message names no limit */
  readonly timeoutMs?: number;
  /** Whether transient failures were retried before this one, as the message then says. @default false */
  readonly retried?: boolean;
}

/** `cluster https://… (context "…")`: the kubeconfig's current cluster and context. */
export function clusterDescription(kubeconfig: KubeConfig): string {
  return `cluster ${kubeconfig.getCurrentCluster()?.server ?? '(no server)'} (context "${kubeconfig.getCurrentContext()}")`;
}

/** The HTTP status the API server answered, if it answered. */
export function apiStatus(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/** A connection error, a timeout, a 429 or a 5xx: worth another attempt. */
export function isTransientKube(error: unknown): boolean {
  if (error instanceof ApiException) return error.code >= 500 || error.code === 429;
  if (!(error instanceof Error)) return false;
  return ['FetchError', 'AbortError', 'TimeoutError'].includes(error.name) || (error as { code?: unknown }).code === 'ECONNRESET';
}

function timedOut(error: unknown): boolean {
  return error instanceof Error && ['AbortError', 'TimeoutError'].includes(error.name);
}

/** The API server's own explanation in a Status body, if any. */
function statusMessage(error: ApiException<unknown>): string | undefined {
  try {
    const body = typeof error.body === 'string' ? JSON.parse(error.body) as { message?: unknown } : error.body as { message?: unknown };
    return typeof body?.message === 'string' ? body.message : undefined;
  } catch {
    return undefined;
  }
}

/** Turns a failed Kubernetes API call into a message that names the fix, and an exit code. */
export function kubeFailure(error: unknown, context: KubeFailureContext): BootstrapError {
  if (error instanceof BootstrapError) return error;
  const { where, action } = context;
  if (error instanceof ApiException) {
    if (error.code === 401) {
      return new BootstrapError(`${where} refused the kubeconfig's credentials (401) while ${action}: log in again or fix KUBECONFIG`, ExitCode.clusterUnreachable);
    }
    const detail = statusMessage(error);
    const reason = detail === undefined ? '' : `: ${detail}`;
    if (error.code === 403) {
      return new BootstrapError(
        `${where}: the kubeconfig's user may not do this (403 while ${action})${reason}: it needs ${context.needs}`,
        ExitCode.forbidden,
      );
    }
    return new BootstrapError(`${where} failed while ${action} (${error.code})${reason}`, error.code >= 500 || error.code === 429 ? ExitCode.clusterUnreachable : ExitCode.unexpected);
  }
  const retried = context.retried ? ', also after retries' : '';
  if (timedOut(error)) {
    const limit = context.timeoutMs === undefined ? 'in time' : `within ${context.timeoutMs / 1000} s`;
    const setting = context.timeoutMs === undefined ? '' : ' (--timeout sets the limit)';
    return new BootstrapError(
      `${where} did not answer ${limit} while ${action}${retried}: check KUBECONFIG, the current context and the network${setting}`,
      ExitCode.clusterUnreachable,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new BootstrapError(`${where} is unreachable while ${action}${retried}: ${message} (check KUBECONFIG and the current context)`, ExitCode.clusterUnreachable);
}
