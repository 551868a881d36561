import { ApiextensionsV1Api, CoreV1Api, type KubeConfig, StorageV1Api } from '@kubernetes/client-node';
import type { Config } from '../config/index.js';

/** The outcome of one preflight check; `detail` never holds secret values. */
export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export type Check = () => Promise<CheckResult>;

function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

function failure(name: string, error: unknown, missing: string): CheckResult {
  const status = statusOf(error);
  if (status === 404) return { name, ok: false, detail: missing };
  if (status === 401 || status === 403) return { name, ok: false, detail: `not allowed to read it (HTTP ${status}): check your kubeconfig's identity` };
  return { name, ok: false, detail: `cannot reach the cluster: ${(error as Error).message.split('\n')[0]}` };
}

export function oidcSecretCheck(kube: KubeConfig, config: Config): Check {
  const name = `OIDC Secret ${config.namespace}/${config.keycloak.oidcSecretName}`;
  return async () => {
    try {
      const secret = await kube.makeApiClient(CoreV1Api).readNamespacedSecret({ name: config.keycloak.oidcSecretName, namespace: config.namespace });
      const missing = ['client_id', 'client_secret'].filter((key) => !secret.data?.[key]);
      if (missing.length > 0) return { name, ok: false, detail: `lacks ${missing.join(' and ')}: run npm run bootstrap:keycloak` };
      return { name, ok: true, detail: 'has client_id and client_secret' };
    } catch (error) {
      return failure(name, error, 'is missing: run npm run bootstrap:keycloak');
    }
  };
}

export function tlsSecretCheck(kube: KubeConfig, config: Config): Check {
  const name = `TLS Secret ${config.namespace}/${config.ingress.tlsSecretName}`;
  return async () => {
    try {
      const secret = await kube.makeApiClient(CoreV1Api).readNamespacedSecret({ name: config.ingress.tlsSecretName, namespace: config.namespace });
      if (!secret.data?.['tls.crt'] || !secret.data?.['tls.key']) return { name, ok: false, detail: 'lacks tls.crt or tls.key' };
      return { name, ok: true, detail: 'has tls.crt and tls.key' };
    } catch (error) {
      const fix = config.tls.copyWildcardCertificate
        ? `is missing: run npm run bootstrap:keycloak (copies ${config.tls.sourceNamespace}/${config.tls.sourceSecretName})`
        : 'is missing: create it, or set tls.copyWildcardCertificate and run npm run bootstrap:keycloak';
      return failure(name, error, fix);
    }
  };
}

export function helmChartCrdCheck(kube: KubeConfig): Check {
  const name = 'HelmChart CRD helmcharts.helm.cattle.io';
  return async () => {
    try {
      const crd = await kube.makeApiClient(ApiextensionsV1Api).readCustomResourceDefinition({ name: 'helmcharts.helm.cattle.io' });
      const served = crd.spec.versions.some((v) => v.name === 'v1' && v.served);
      return served
        ? { name, ok: true, detail: 'v1 is served' }
        : { name, ok: false, detail: 'does not serve v1: upgrade the helm-controller' };
    } catch (error) {
      return failure(name, error, 'is not installed: this cluster has no helm-controller (k3s/RKE2 ship one)');
    }
  };
}

export function storageClassCheck(kube: KubeConfig, config: Config): Check {
  const name = `StorageClass ${config.storage.storageClassName}`;
  return async () => {
    try {
      const storageClass = await kube.makeApiClient(StorageV1Api).readStorageClass({ name: config.storage.storageClassName });
      return { name, ok: true, detail: `provisioner ${storageClass.provisioner}` };
    } catch (error) {
      return failure(name, error, 'does not exist: install JuiceFS (or set storage.storageClassName)');
    }
  };
}

export function thinkubeControlCheck(baseUrl: string, timeoutMs: number): Check {
  const url = `${baseUrl.replace(/\/+$/, '')}/images/jupyter`;
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
