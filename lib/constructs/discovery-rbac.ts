import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { readAsset } from '../assets.js';
import { type Config, DEFAULTS, type SecretReference } from '../config/index.js';
import type { DiscoveryIdentity } from '../model/notebook-pod.js';
import { composedConfig } from './compose.js';

/** File name of the init script inside its ConfigMap and mount. */
export const DISCOVERY_SCRIPT_FILE = 'service-discovery-init.sh';

export interface DiscoveryRbacProps {
  /**
   * The hub's configuration: namespace, hub URL, chart version and the Secret allow-list.
   * @default - the example configuration in the enclosing Chart's namespace
   */
  readonly config?: Config;
  /**
   * Name of the ServiceAccount the discovery init container runs as.
   * @default 'jupyter-service-discovery'
   */
  readonly serviceAccountName?: string;
  /**
   * Name of the cluster-wide role that reads ConfigMaps (cluster-scoped: each hub has its own).
   * @default 'jupyter-configmap-reader' in the `jupyterhub` namespace, else suffixed with `-<namespace>`
   */
  readonly clusterRoleName?: string;
  /**
   * Name of the cluster-scoped binding of that role to the ServiceAccount.
   * @default 'jupyter-service-discovery-binding' in the `jupyterhub` namespace, else suffixed with `-<namespace>` so hubs in several namespaces do not take each other's binding
   */
  readonly clusterRoleBindingName?: string;
}

/**
 * The identity the notebook pod's service-discovery init container uses, with
 * least privilege: read ConfigMaps anywhere, `get` only the allow-listed
 * Secrets. Also the ConfigMap carrying the init script, and the hub's own
 * service registration (`thinkube-service-config`), which exports
 * `JUPYTERHUB_URL` to other Thinkube components.
 */
export class DiscoveryRbacConstruct extends Construct implements DiscoveryIdentity {
  /** The configuration the objects were built with (what a construct built on this one inherits). */
  public readonly config: Config;
  /** The ServiceAccount's name. */
  public readonly serviceAccountName: string;
  /** Name of the ConfigMap holding the init script under `scriptFileName`. */
  public readonly scriptConfigMapName = 'jupyter-service-discovery-script';
  /** Key of the script in that ConfigMap. */
  public readonly scriptFileName = DISCOVERY_SCRIPT_FILE;
  /** The registration ConfigMap. */
  public readonly registration: ApiObject;
  private readonly secretNames = new Map<string, Set<string>>();
  private readonly secretRoleName: string;
  private readonly subject: { kind: string; name: string; namespace: string };

  constructor(scope: Construct, id: string, props: DiscoveryRbacProps = {}) {
    super(scope, id);
    const config = composedConfig(this, 'DiscoveryRbacConstruct', props.config);
    this.config = config;
    const namespace = config.namespace;
    // Names of objects outside the hub's namespace carry it, so that hubs in several namespaces do not share them.
    const ownName = (name: string): string => (namespace === DEFAULTS.namespace ? name : `${name}-${namespace}`);
    this.serviceAccountName = props.serviceAccountName ?? DEFAULTS.discovery.serviceAccountName;
    const clusterRoleName = props.clusterRoleName ?? ownName(DEFAULTS.discovery.clusterRoleName);
    const clusterRoleBindingName = props.clusterRoleBindingName ?? ownName(`${this.serviceAccountName}-binding`);
    this.secretRoleName = ownName(`${this.serviceAccountName}-secrets`);
    this.subject = { kind: 'ServiceAccount', name: this.serviceAccountName, namespace };

    new k8s.KubeServiceAccount(this, 'Resource', {
      metadata: { name: this.serviceAccountName, namespace },
      automountServiceAccountToken: false,
    });
    new k8s.KubeClusterRole(this, 'ConfigMapReader', {
      metadata: { name: clusterRoleName },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }],
    });
    new k8s.KubeClusterRoleBinding(this, 'ConfigMapReaderBinding', {
      metadata: { name: clusterRoleBindingName },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRoleName },
      subjects: [this.subject],
    });
    for (const ref of [...config.discovery.secretAllowList].sort((a, b) => a.namespace.localeCompare(b.namespace))) {
      this.allowSecretRead(ref);
    }

    new k8s.KubeConfigMap(this, 'Script', {
      metadata: { name: this.scriptConfigMapName, namespace },
      data: { [DISCOVERY_SCRIPT_FILE]: readAsset(`discovery/${DISCOVERY_SCRIPT_FILE}`) },
    });

    this.registration = new k8s.KubeConfigMap(this, 'Registration', {
      metadata: {
        name: 'thinkube-service-config',
        namespace,
        labels: {
          'thinkube.io/managed': 'true',
          'thinkube.io/service-type': 'core',
          'thinkube.io/service-name': 'jupyterhub',
          'thinkube.io/component-version': config.chart.version,
        },
      },
      data: { 'service.yaml': stringify(registrationDocument(config)) },
    });
  }

  /** The Secrets the identity may `get`, by namespace and name (the hub's notebooks may reach their namespaces). */
  public get secretAllowList(): readonly SecretReference[] {
    return [...this.secretNames].flatMap(([namespace, names]) => [...names].sort().map((name) => ({ namespace, name })));
  }

  /**
   * Lets the discovery init container `get` one more Secret (a Role and
   * RoleBinding in its namespace, `resourceNames` only), as
   * `discovery.secretAllowList` does; the notebooks' NetworkPolicy then also
   * reaches that namespace.
   */
  public allowSecretRead(ref: SecretReference): void {
    let names = this.secretNames.get(ref.namespace);
    if (names === undefined) {
      names = new Set();
      this.secretNames.set(ref.namespace, names);
      const namesInNamespace = names;
      new k8s.KubeRole(this, `SecretReader-${ref.namespace}`, {
        metadata: { name: this.secretRoleName, namespace: ref.namespace },
        rules: [{
          apiGroups: [''], resources: ['secrets'], verbs: ['get'],
          resourceNames: Lazy.any({ produce: () => [...namesInNamespace].sort() }) as unknown as string[],
        }],
      });
      new k8s.KubeRoleBinding(this, `SecretReaderBinding-${ref.namespace}`, {
        metadata: { name: this.secretRoleName, namespace: ref.namespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.secretRoleName },
        subjects: [this.subject],
      });
    }
    names.add(ref.name);
  }
}

function registrationDocument(config: Config) {
  return {
    service: {
      name: 'jupyterhub',
      display_name: 'Thinkube AI Lab',
      description: 'AI-powered notebook environment for ML, agents, and data science',
      type: 'core',
      category: 'ai',
      icon: '/icons/tk_ai.svg',
      component_version: config.chart.version,
      endpoints: [{
        name: 'web',
        type: 'http',
        url: `${config.hubUrl}/hub/oauth_login?next=`,
        health_url: `${config.hubUrl}/hub/api`,
        description: 'JupyterHub web interface (Keycloak SSO)',
        primary: true,
      }],
      dependencies: ['keycloak', 'juicefs', 'thinkube-control'],
      scaling: {
        resource_type: 'deployment',
        resource_name: 'hub',
        namespace: config.namespace,
        min_replicas: 1,
        can_disable: true,
      },
      environment_variables: [{ name: 'JUPYTERHUB_URL', value: config.hubUrl }],
    },
  };
}
