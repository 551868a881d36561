import type { Config } from '../config/index.js';
import type { Values } from './merge.js';

/** Hub, proxy and culling settings from the spec's "Hub Configuration". */
export function hubValues(config: Config): Values {
  return {
    hub: {
      // The spec's "Base URL: /hub/" is JupyterHub's own /hub/ prefix: base_url
      // stays '/' so that the callback is https://<host>/hub/oauth_callback.
      baseUrl: '/',
      concurrentSpawnLimit: config.spawner.concurrentSpawnLimit,
      shutdownOnLogout: true,
      allowNamedServers: false,
      // The hub database (users, servers, tokens) is user data: helm uninstall,
      // which the helm-controller runs when the HelmChart is deleted, keeps it.
      db: { pvc: { annotations: { 'helm.sh/resource-policy': 'keep' } } },
    },
    proxy: {
      // The Ingress reaches proxy-public inside the cluster; no cloud load balancer.
      service: { type: 'ClusterIP' },
    },
    ingress: { enabled: false },
    cull: {
      enabled: config.culling.enabled,
      timeout: config.culling.timeoutSeconds,
      every: config.culling.everySeconds,
    },
    // Notebook images are several GiB: pulling them in a pre-install hook on
    // every upgrade would hold the HelmChart job; the continuous puller stays.
    prePuller: { hook: { enabled: false } },
    // The chart's kube-scheduler (v1.30) is outside the version skew Kubernetes
    // supports against Thinkube's 1.34+ API servers, and packing user pods only
    // helps a cluster autoscaler: the cluster's own scheduler places notebooks.
    // https://kubernetes.io/releases/version-skew-policy/
    scheduling: { userScheduler: { enabled: false } },
  };
}
