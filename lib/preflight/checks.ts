import {
  ApiextensionsV1Api, CoreV1Api, type KubeConfig, NetworkingV1Api, StorageV1Api, type V1Ingress,
} from '@kubernetes/client-node';
import { apiStatus, clusterDescription, kubeFailure } from '../bootstrap/cluster/kube-failure.js';
import { boundedApiClient } from '../bootstrap/cluster/kube-session.js';
import type { Config } from '../config/index.js';
import { THINKUBE_CONTROL_PATHS } from '../model/thinkube-control.js';
import { LEGACY_INGRESS_NAME } from '../teardown/legacy.js';

/** The outcome of one preflight check; `detail` never holds secret values. */
export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  /** Passed, but the operator should know (e.g. data that one wrong command would delete). */
  readonly warning?: boolean;
  readonly detail: string;
}

export type Check = () => Promise<CheckResult>;

/** The request a check makes, for the message when it fails: what was being done, and the permission it takes. */
interface ClusterRequest {
  readonly action: string;
  readonly needs: string;
}

/**
 * A failed read: a 404 is the check's own finding (`missing` names its fix);
 * anything else reads as it does in bootstrap-keycloak and teardown.
 */
function failure(kube: KubeConfig, name: string, error: unknown, missing: string, request: ClusterRequest): CheckResult {
  if (apiStatus(error) === 404) return { name, ok: false, detail: missing };
  return { name, ok: false, detail: kubeFailure(error, { where: clusterDescription(kube), ...request }).message };
}

function secretRead(config: Config, secretName: string): ClusterRequest {
  return { action: `reading Secret ${config.namespace}/${secretName}`, needs: `get on secrets in namespace ${config.namespace}` };
}

export function oidcSecretCheck(kube: KubeConfig, config: Config): Check {
  const name = `OIDC Secret ${config.namespace}/${config.keycloak.oidcSecretName}`;
  return async () => {
    try {
      const secret = await boundedApiClient(kube, CoreV1Api).readNamespacedSecret({ name: config.keycloak.oidcSecretName, namespace: config.namespace });
      const missing = ['client_id', 'client_secret'].filter((key) => !secret.data?.[key]);
      if (missing.length > 0) return { name, ok: false, detail: `lacks ${missing.join(' and ')}: run npm run bootstrap:keycloak` };
      return { name, ok: true, detail: 'has client_id and client_secret' };
    } catch (error) {
      return failure(kube, name, error, 'is missing: run npm run bootstrap:keycloak', secretRead(config, config.keycloak.oidcSecretName));
    }
  };
}

export function tlsSecretCheck(kube: KubeConfig, config: Config): Check {
  const name = `TLS Secret ${config.namespace}/${config.ingress.tlsSecretName}`;
  return async () => {
    try {
      const secret = await boundedApiClient(kube, CoreV1Api).readNamespacedSecret({ name: config.ingress.tlsSecretName, namespace: config.namespace });
      if (!secret.data?.['tls.crt'] || !secret.data?.['tls.key']) return { name, ok: false, detail: 'lacks tls.crt or tls.key' };
      return { name, ok: true, detail: 'has tls.crt and tls.key' };
    } catch (error) {
      const fix = config.tls.copyWildcardCertificate
        ? `is missing: run npm run bootstrap:keycloak (copies ${config.tls.sourceNamespace}/${config.tls.sourceSecretName})`
        : 'is missing: create it, or set tls.copyWildcardCertificate and run npm run bootstrap:keycloak';
      return failure(kube, name, error, fix, secretRead(config, config.ingress.tlsSecretName));
    }
  };
}

export function helmChartCrdCheck(kube: KubeConfig): Check {
  const name = 'HelmChart CRD helmcharts.helm.cattle.io';
  return async () => {
    try {
      const crd = await boundedApiClient(kube, ApiextensionsV1Api).readCustomResourceDefinition({ name: 'helmcharts.helm.cattle.io' });
      const served = crd.spec.versions.some((v) => v.name === 'v1' && v.served);
      return served
        ? { name, ok: true, detail: 'v1 is served' }
        : { name, ok: false, detail: 'does not serve v1: upgrade the helm-controller' };
    } catch (error) {
      return failure(kube, name, error, 'is not installed: this cluster has no helm-controller (k3s/RKE2 ship one)', {
        action: 'reading CustomResourceDefinition helmcharts.helm.cattle.io',
        needs: 'get on customresourcedefinitions',
      });
    }
  };
}

export function storageClassCheck(kube: KubeConfig, config: Config): Check {
  const name = `StorageClass ${config.storage.storageClassName}`;
  return async () => {
    try {
      const storageClass = await boundedApiClient(kube, StorageV1Api).readStorageClass({ name: config.storage.storageClassName });
      // Kubernetes defaults an unset reclaimPolicy to Delete.
      const reclaimPolicy = storageClass.reclaimPolicy ?? 'Delete';
      if (reclaimPolicy !== 'Delete') return { name, ok: true, detail: `provisioner ${storageClass.provisioner}, reclaimPolicy ${reclaimPolicy}` };
      return {
        name,
        ok: true,
        warning: true,
        detail: `provisioner ${storageClass.provisioner}, reclaimPolicy Delete: deleting a claim deletes every user's files in it. `
          + 'Never run kubectl delete -f dist (it deletes the namespace and its claims); remove the hub with thinkube-jupyterhub teardown, '
          + 'which keeps them. To keep the data even then, set persistentVolumeReclaimPolicy: Retain on the bound volumes '
          + '(kubectl patch pv <name> -p \'{"spec":{"persistentVolumeReclaimPolicy":"Retain"}}\')',
      };
    } catch (error) {
      return failure(kube, name, error, 'does not exist: install JuiceFS (or set storage.storageClassName)', {
        action: `reading StorageClass ${config.storage.storageClassName}`,
        needs: 'get on storageclasses',
      });
    }
  };
}

/**
 * The volumes already bound to the hub's claims (ours, the chart's hub-db-dir,
 * any other): their own reclaim policy, not the storage class's, decides
 * whether deleting a claim deletes its data.
 */
export function claimVolumesCheck(kube: KubeConfig, config: Config): Check {
  const name = `Volumes of the claims in ${config.namespace}`;
  return async () => {
    try {
      const core = boundedApiClient(kube, CoreV1Api);
      const claims = (await core.listNamespacedPersistentVolumeClaim({ namespace: config.namespace })).items
        .filter((claim) => claim.spec?.volumeName);
      if (claims.length === 0) return { name, ok: true, detail: 'no claim is bound yet' };
      const volumes = await Promise.all(claims.map(async (claim) => ({
        claim: claim.metadata?.name ?? '',
        volume: claim.spec!.volumeName!,
        policy: (await core.readPersistentVolume({ name: claim.spec!.volumeName! })).spec?.persistentVolumeReclaimPolicy ?? 'Delete',
      })));
      const deleting = volumes.filter((v) => v.policy === 'Delete');
      if (deleting.length === 0) return { name, ok: true, detail: `${volumes.length} bound, none deletes its data with its claim` };
      return {
        name,
        ok: true,
        warning: true,
        detail: `${deleting.map((v) => `${v.volume} (claim ${v.claim})`).join(', ')} ha${deleting.length === 1 ? 's' : 've'} `
          + 'persistentVolumeReclaimPolicy Delete: deleting the claim deletes the data. Keep it with '
          + deleting.map((v) => `kubectl patch pv ${v.volume} -p '{"spec":{"persistentVolumeReclaimPolicy":"Retain"}}'`).join('; '),
      };
    } catch (error) {
      return failure(kube, name, error, `cannot be read: namespace ${config.namespace} or a bound volume is missing`, {
        action: `listing the claims in namespace ${config.namespace} and reading their volumes`,
        needs: `list on persistentvolumeclaims in namespace ${config.namespace} and get on persistentvolumes`,
      });
    }
  };
}

function routesHost(ingress: V1Ingress, host: string): boolean {
  return (ingress.spec?.rules ?? []).some((rule) => rule.host === host);
}

/**
 * Another Ingress for the hub's host (the playbook's jupyterhub-ingress after
 * a migration): two Ingresses for one host and path are rejected by
 * ingress-nginx's admission webhook, or route unpredictably without it.
 */
export function duplicateIngressCheck(kube: KubeConfig, config: Config): Check {
  const name = `Ingresses for ${config.hostname}`;
  return async () => {
    try {
      const list = await boundedApiClient(kube, NetworkingV1Api).listIngressForAllNamespaces();
      const others = list.items.filter((ingress) => routesHost(ingress, config.hostname)
        && !(ingress.metadata?.namespace === config.namespace && ingress.metadata?.name === config.chart.releaseName));
      if (others.length === 0) return { name, ok: true, detail: `none besides ours (${config.namespace}/${config.chart.releaseName})` };
      const describe = (ingress: V1Ingress) => {
        const id = `${ingress.metadata?.namespace}/${ingress.metadata?.name}`;
        return ingress.metadata?.namespace === config.namespace && ingress.metadata?.name === LEGACY_INGRESS_NAME
          ? `Ingress ${id} (the Ansible playbook's): remove it with thinkube-jupyterhub teardown --legacy right before kubectl apply -f dist`
          : `Ingress ${id}: remove it or give it another host`;
      };
      return { name, ok: false, detail: `another Ingress routes the same host, ${others.map(describe).join('; ')}` };
    } catch (error) {
      return failure(kube, name, error, 'cannot be listed', { action: 'listing the Ingresses of all namespaces', needs: 'list on ingresses in all namespaces' });
    }
  };
}

export function thinkubeControlCheck(baseUrl: string, timeoutMs: number): Check {
  const url = `${baseUrl.replace(/\/+$/, '')}${THINKUBE_CONTROL_PATHS.images}`;
  const name = `thinkube-control ${url}`;
  return async () => {
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? `no answer in ${timeoutMs} ms` : (error as Error).message;
      return { name, ok: false, detail: `unreachable (${reason}): from outside the cluster use --thinkube-control-url with a port-forward` };
    }
    if (!response.ok) return { name, ok: false, detail: `answered HTTP ${response.status}` };
    let images: unknown;
    try {
      images = await response.json();
    } catch {
      return { name, ok: false, detail: 'answered something that is not JSON' };
    }
    if (!Array.isArray(images)) return { name, ok: false, detail: 'did not answer a list of images' };
    if (images.length === 0) return { name, ok: false, detail: 'lists no Jupyter image: tag at least one image for Jupyter in thinkube-control' };
    return { name, ok: true, detail: `lists ${images.length} Jupyter image${images.length === 1 ? '' : 's'}` };
  };
}
