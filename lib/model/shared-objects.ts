/**
 * Marks what dist/ brings that the rest of the cluster comes to depend on (a
 * helm-controller and its CRDs: deleting the HelmChart CRD deletes every
 * HelmChart of the cluster). `teardown` keeps what carries it.
 */
export const SHARED_LABEL = 'thinkube.io/shared-with-cluster';
