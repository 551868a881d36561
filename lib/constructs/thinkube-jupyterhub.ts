import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { Config } from '../config/index.js';
import { CertificateConstruct } from './certificate.js';
import { composedConfig } from './compose.js';
import { DiscoveryRbacConstruct } from './discovery-rbac.js';
import { FluxHelmReleaseConstruct } from './flux-helm-release.js';
import { HelmControllerConstruct } from './helm-controller.js';
import { HttpRouteConstruct } from './http-route.js';
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
 * shared storage, the discovery identity, the chart as `delivery` says (with a
 * standalone helm-controller, as a Flux HelmRelease, or only its values), its
 * Ingress or HTTPRoute (`routing`) and, with tls.mode certManager, its Certificate.
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
  /** The standalone helm-controller (delivery helmChartWithController). */
  public readonly helmController?: HelmControllerConstruct;
  /** The Flux HelmRepository and HelmRelease (delivery fluxHelmRelease). */
  public readonly fluxRelease?: FluxHelmReleaseConstruct;
  /** The HTTPS entry with routing ingress. */
  public readonly ingress?: IngressConstruct;
  /** The HTTPS entry with routing gatewayApi. */
  public readonly httpRoute?: HttpRouteConstruct;
  /** The cert-manager Certificate (tls.mode certManager). */
  public readonly certificate?: CertificateConstruct;

  constructor(scope: Construct, id: string, props: ThinkubeJupyterHubProps = {}) {
    super(scope, id);
    const config = composedConfig(this, 'ThinkubeJupyterHub', props.config);
    this.config = config;
    // A label also gives server-side apply a field to own: an object without one has no managedFields, and
    // the next apply then writes a 'before-first-apply' entry instead of being a no-op.
    new k8s.KubeNamespace(this, 'Namespace', { metadata: { name: config.namespace, labels: { 'app.kubernetes.io/part-of': 'thinkube-jupyterhub' } } });
    // The controller and its CRDs before the HelmChart: `kubectl apply` creates objects in file order.
    if (config.delivery === 'helmChartWithController') this.helmController = new HelmControllerConstruct(this, 'HelmController');
    this.storage = new StorageConstruct(this, 'Storage', { config });
    this.discovery = new DiscoveryRbacConstruct(this, 'Discovery', { config });
    this.hub = new HubHelmConstruct(this, 'Hub', { storage: this.storage, discovery: this.discovery });
    if (config.delivery === 'fluxHelmRelease') this.fluxRelease = new FluxHelmReleaseConstruct(this, 'FluxRelease', { hub: this.hub });
    if (config.routing === 'gatewayApi') this.httpRoute = new HttpRouteConstruct(this, 'HttpRoute', { hub: this.hub });
    else this.ingress = new IngressConstruct(this, 'Ingress', { hub: this.hub });
    if (config.tls.mode === 'certManager') this.certificate = new CertificateConstruct(this, 'Certificate', { hub: this.hub });
  }
}
