import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { HelmChart, HelmChartSpecFailurePolicy } from '../../imports/helm.cattle.io.js';
import type { Config } from '../config/index.js';
import { type Values, buildValues, valuesYaml } from '../values/index.js';
import { composedConfig } from './compose.js';
import type { DiscoveryRbacConstruct } from './discovery-rbac.js';
import type { StorageConstruct } from './storage.js';

export interface HubHelmProps {
  /**
   * The hub's configuration. One other than `storage`'s and `discovery`'s is refused.
   * @default - the configuration `storage` and `discovery` were built with
   */
  readonly config?: Config;
  /** The claims, volumes and mounts the notebook pods use. */
  readonly storage: StorageConstruct;
  /** The identity and script of the service-discovery init container. */
  readonly discovery: DiscoveryRbacConstruct;
}

/**
 * The Zero-to-JupyterHub chart's release and its complete values; with
 * `delivery` helmChart or helmChartWithController also the `HelmChart`
 * (helm.cattle.io/v1) carrying them (other deliveries take `valuesYaml` or
 * `valuesDocument`). No secret is in the values: the OIDC client secret
 * reaches the hub from the `jupyterhub-oidc-secret` Secret.
 * @see https://z2jh.jupyter.org/en/stable/resources/reference.html
 */
export class HubHelmConstruct extends Construct {
  /** The Helm release name. */
  public readonly releaseName: string;
  /** The namespace the chart installs into. */
  public readonly namespace: string;
  /** The configuration the values were built with. */
  public readonly config: Config;
  /** The chart's public proxy Service, which the Ingress routes to. */
  public readonly proxyServiceName = 'proxy-public';
  /** Port of `proxyServiceName`. */
  public readonly proxyServicePort = 80;
  /** The HelmChart object (also `ApiObject.of(this)`); undefined when `delivery` carries the values another way. */
  public readonly helmChart?: ApiObject;
  private readonly storage: StorageConstruct;
  private readonly discovery: DiscoveryRbacConstruct;

  constructor(scope: Construct, id: string, props: HubHelmProps) {
    super(scope, id);
    const config = composedConfig(this, 'HubHelmConstruct', props.config, [
      { name: 'props.storage', config: props.storage.config },
      { name: 'props.discovery', config: props.discovery.config },
    ]);
    this.config = config;
    this.storage = props.storage;
    this.discovery = props.discovery;
    this.releaseName = config.chart.releaseName;
    this.namespace = config.namespace;
    if (config.delivery !== 'helmChart' && config.delivery !== 'helmChartWithController') return;
    this.helmChart = new HelmChart(this, 'Resource', {
      metadata: { name: this.releaseName, namespace: config.chart.helmChartNamespace },
      spec: {
        repo: config.chart.repo,
        chart: config.chart.name,
        version: config.chart.version,
        targetNamespace: this.namespace,
        // A failed upgrade must never uninstall the hub (and its user database).
        failurePolicy: HelmChartSpecFailurePolicy.ABORT,
        // Built at synth time, so that what the app adds later (discovery.allowSecretRead) is in it.
        valuesContent: Lazy.any({ produce: () => this.valuesYaml }) as unknown as string,
      },
    });
  }

  /** The Z2JH values document every delivery carries, as of now. */
  public get valuesDocument(): Readonly<Values> {
    return buildValues(this.config, this.storage, this.discovery);
  }

  /** `valuesDocument` as a helm values file, byte for byte what the HelmChart carries. */
  public get valuesYaml(): string {
    return valuesYaml(this.valuesDocument);
  }
}
