import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { type Config, resolveConfig } from '../config/index.js';
import { DiscoveryRbacConstruct } from './discovery-rbac.js';
import { HubHelmConstruct } from './hub-helm.js';
import { IngressConstruct } from './ingress.js';
import { StorageConstruct } from './storage.js';

export interface ThinkubeJupyterHubProps {
  /**
   * The hub's configuration.
   * @default - the example configuration (`resolveConfig({})`)
   */
  readonly config?: Config;
}

/**
 * Everything a Thinkube cluster needs to run JupyterHub: the namespace, the
 * shared storage, the discovery identity, the chart and its Ingress.
 */
export class ThinkubeJupyterHub extends Construct {
  public readonly storage: StorageConstruct;
  public readonly discovery: DiscoveryRbacConstruct;
  public readonly hub: HubHelmConstruct;
  public readonly ingress: IngressConstruct;

  constructor(scope: Construct, id: string, props: ThinkubeJupyterHubProps = {}) {
    super(scope, id);
    const config = props.config ?? resolveConfig({});
    // A label also gives server-side apply a field to own: an object without one has no managedFields, and
    // the next apply then writes a 'before-first-apply' entry instead of being a no-op.
    new k8s.KubeNamespace(this, 'Namespace', { metadata: { name: config.namespace, labels: { 'app.kubernetes.io/part-of': 'thinkube-jupyterhub' } } });
    this.storage = new StorageConstruct(this, 'Storage', { config });
    this.discovery = new DiscoveryRbacConstruct(this, 'Discovery', { config });
    this.hub = new HubHelmConstruct(this, 'Hub', { config, storage: this.storage, discovery: this.discovery });
    this.ingress = new IngressConstruct(this, 'Ingress', { config, hub: this.hub });
  }
}
