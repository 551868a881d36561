import {
  ApiException, CoreV1Api, type KubeConfig, type KubernetesObject, KubernetesObjectApi,
} from '@kubernetes/client-node';
import { clusterDescription, kubeFailure } from '../bootstrap/cluster/kube-failure.js';
import { boundedApiClient, boundedConfiguration } from '../bootstrap/cluster/kube-session.js';
import { withRetry } from '../bootstrap/retry.js';
import { type Target, describeTarget } from './target.js';

function spec(target: Target): KubernetesObject {
  return { apiVersion: target.apiVersion, kind: target.kind, metadata: { name: target.name, namespace: target.namespace } };
}

const transient = (error: unknown): boolean => (error instanceof ApiException ? error.code >= 500 : !(error instanceof ApiException));

/** A kind the API server does not serve (e.g. HelmChart without its CRD) has no objects to delete. */
const unknownKind = (error: unknown): boolean => error instanceof Error && error.message.startsWith('Unrecognized API version and kind');

/** The reads and deletes of teardown through the user's kubeconfig, each failure an operator-facing BootstrapError. */
export class TeardownCluster {
  private readonly objects: KubernetesObjectApi;
  private readonly core: CoreV1Api;
  private readonly where: string;

  constructor(kubeconfig: KubeConfig) {
    // Every request has a deadline: a read that never returns would stall the wait loops for good.
    this.objects = new KubernetesObjectApi(boundedConfiguration(kubeconfig));
    this.core = boundedApiClient(kubeconfig, CoreV1Api);
    this.where = clusterDescription(kubeconfig);
  }

  /** The live object, or undefined when it (or its kind) does not exist. */
  async read(target: Target): Promise<KubernetesObject | undefined> {
    return this.call(`reading ${describeTarget(target)}`, async () => {
      try {
        return await this.objects.read(spec(target) as KubernetesObject & { metadata: { name: string } });
      } catch (error) {
        if ((error instanceof ApiException && error.code === 404) || unknownKind(error)) return undefined;
        throw error;
      }
    });
  }

  /** Deletes the object (dependents in the background); false when it was already gone. */
  async delete(target: Target): Promise<boolean> {
    return this.call(`deleting ${describeTarget(target)}`, async () => {
      try {
        await this.objects.delete(spec(target), undefined, undefined, undefined, undefined, 'Background');
        return true;
      } catch (error) {
        if ((error instanceof ApiException && error.code === 404) || unknownKind(error)) return false;
        throw error;
      }
    });
  }

  /** The names of every claim in `namespace`, ours or not: any of them is someone's data. */
  async claimsIn(namespace: string): Promise<string[]> {
    return this.call(`listing the claims in namespace ${namespace}`, async () => {
      const list = await this.core.listNamespacedPersistentVolumeClaim({ namespace });
      return list.items.map((claim) => claim.metadata?.name ?? '').sort();
    });
  }

  /** The names of the pods in `namespace` that match `labelSelector`. */
  async podsIn(namespace: string, labelSelector: string): Promise<string[]> {
    return this.call(`listing the pods in namespace ${namespace}`, async () => {
      const list = await this.core.listNamespacedPod({ namespace, labelSelector });
      return list.items.map((pod) => pod.metadata?.name ?? '').sort();
    });
  }

  /** Polls until the object is gone; false when it is still there after `timeoutMs`. */
  async waitGone(target: Target, timeoutMs: number, pollMs = 1000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await this.read(target) === undefined) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  private async call<T>(action: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await withRetry(operation, transient);
    } catch (error) {
      throw kubeFailure(error, { where: this.where, action, needs: 'get, list and delete on the objects of dist/', retried: true });
    }
  }
}
