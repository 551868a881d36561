import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import { readVendored } from '../assets.js';
import { SHARED_LABEL } from '../model/shared-objects.js';

/** The k3s-io/helm-controller release dist/ carries (Go module github.com/k3s-io/helm-controller). */
export const HELM_CONTROLLER_VERSION = 'v0.17.9';
/** The image that runs each HelmChart's helm install; the one the release's manifests/deployment.yaml names. */
export const HELM_CONTROLLER_JOB_IMAGE = 'ghcr.io/k3s-io/klipper-helm:v0.9.10-build20251111';
const CRD_FILES = ['crds/helm.cattle.io_helmcharts.yaml', 'crds/helm.cattle.io_helmchartconfigs.yaml'] as const;

export interface HelmControllerProps {
  /**
   * Namespace of the controller's Deployment and ServiceAccount.
   * @default 'helm-controller' (as the release's deploy-cluster-scoped.yaml)
   */
  readonly namespace?: string;
  /**
   * The controller image.
   * @default `rancher/helm-controller:${HELM_CONTROLLER_VERSION}`
   */
  readonly image?: string;
}

/**
 * The k3s-io helm-controller as it runs standalone, watching HelmCharts in
 * every namespace: what its release's `deploy-cluster-scoped.yaml` holds (the
 * kustomize build of pkg/crds/yaml/generated, manifests/ns.yaml, rbac.yaml
 * and deployment.yaml), at a pinned version. With it a cluster without its
 * own helm-controller (not k3s or RKE2) reconciles the hub's HelmChart.
 *
 * Like upstream, the controller and the install Jobs it runs (JOB_CLUSTER_ROLE
 * is its own ClusterRole) may do anything in the cluster: a chart can hold
 * any object.
 * @see https://github.com/k3s-io/helm-controller#cluster-scoped-deploys
 */
export class HelmControllerConstruct extends Construct {
  /** The controller's namespace. */
  public readonly namespace: string;
  /** The controller's Deployment (also `ApiObject.of(this)`). */
  public readonly deployment: ApiObject;

  constructor(scope: Construct, id: string, props: HelmControllerProps = {}) {
    super(scope, id);
    const namespace = props.namespace ?? 'helm-controller';
    const image = props.image ?? `rancher/helm-controller:${HELM_CONTROLLER_VERSION}`;
    this.namespace = namespace;
    for (const file of CRD_FILES) {
      const crd = parse(readVendored(file));
      new ApiObject(this, crd.metadata.name, crd);
    }
    new k8s.KubeNamespace(this, 'Namespace', { metadata: { name: namespace, labels: { name: namespace } } });
    const name = 'helm-controller';
    new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    });
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name, namespace } });
    const labels = { app: name };
    this.deployment = new k8s.KubeDeployment(this, 'Resource', {
      metadata: { name, namespace, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            containers: [{
              name,
              image,
              command: ['helm-controller'],
              env: [
                { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                // The install Jobs are bound to the ClusterRole named like the controller's ServiceAccount.
                { name: 'JOB_CLUSTER_ROLE', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
                { name: 'DEFAULT_JOB_IMAGE', value: HELM_CONTROLLER_JOB_IMAGE },
              ],
            }],
          },
        },
      },
    });
    // Other HelmCharts of the cluster come to depend on the controller and its CRDs: teardown keeps them.
    for (const child of this.node.findAll()) {
      if (child instanceof ApiObject) child.metadata.addLabel(SHARED_LABEL, 'true');
    }
  }
}
