import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { Config } from '../config/index.js';
import { composedConfig } from './compose.js';
import { DiscoveryRbacConstruct } from './discovery-rbac.js';
import { HubHelmConstruct } from './hub-helm.js';
import { IngressConstruct } from './ingress.js';
import { StorageConstruct } from './storage.js';

export interface ThinkubeJupyterHubProps {
  /**
   * The hub's configuration; its parts are built with it.
   * @default - the example configuration in the enclosing Chart's namespace
   */
  readonly config?: Config;
}

/**
 * Everything a Thinkube cluster needs to run JupyterHub: the namespace, the
 * shared storage, the discovery identity, the chart and its Ingress.
 */
export class ThinkubeJupyterHub extends Construct {
  /** The configuration every part was built with. */
  public readonly config: Config;
  /** The claims notebooks mount. */
  public readonly storage: StorageConstruct;
  /** The discovery identity (`discovery.allowSecretRead(ref)` lets notebooks read one more Secret). */
  public readonly discovery: DiscoveryRbacConstruct;
  /** The chart and its values. */
  public readonly hub: HubHelmConstruct;
  /** The HTTPS entry. */
  public readonly ingress: IngressConstruct;

  constructor(scope: Construct, id: string, props: ThinkubeJupyterHubProps = {}) {
    super(scope, id);
    const config = composedConfig(this, 'ThinkubeJupyterHub', props.config);
    this.config = config;
    // A label also gives server-side apply a field to own: an object without one has no managedFields, and
    // the next apply then writes a 'before-first-apply' entry instead of being a no-op.
    new k8s.KubeNamespace(this, 'Namespace', { metadata: { name: config.namespace, labels: { 'app.kubernetes.io/part-of': 'thinkube-jupyterhub' } } });
    this.storage = new StorageConstruct(this, 'Storage', { config });
    this.discovery = new DiscoveryRbacConstruct(this, 'Discovery', { config });
    this.hub = new HubHelmConstruct(this, 'Hub', { storage: this.storage, discovery: this.discovery });
    this.ingress = new IngressConstruct(this, 'Ingress', { hub: this.hub });
  }
}
