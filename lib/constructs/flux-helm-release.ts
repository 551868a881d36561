import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import type { Config } from '../config/index.js';
import { composedConfig } from './compose.js';
import type { HubHelmConstruct } from './hub-helm.js';

export interface FluxHelmReleaseProps {
  /**
   * The hub's configuration: the chart's repository, name and version. One other than the hub's is refused.
   * @default - the hub's configuration
   */
  readonly config?: Config;
  /** The release and values to deliver. */
  readonly hub: HubHelmConstruct;
  /**
   * How often Flux reconciles the release (and re-reads the repository index).
   * @default '10m'
   */
  readonly interval?: string;
}

/**
 * The chart as Flux delivers it: a `HelmRepository` (source.toolkit.fluxcd.io/v1)
 * for `chart.repo` and a `HelmRelease` (helm.toolkit.fluxcd.io/v2) with the
 * values inline, both in the hub's namespace. A failed install or upgrade never
 * uninstalls the hub (and with it the user database's claim): a failed
 * install is left for inspection, a failed upgrade is rolled back.
 * @see https://fluxcd.io/flux/components/helm/helmreleases/
 */
export class FluxHelmReleaseConstruct extends Construct {
  /** The configuration the objects were built with (the hub's). */
  public readonly config: Config;
  /** The HelmRepository object. */
  public readonly repository: ApiObject;
  /** The HelmRelease object (also `ApiObject.of(this)`). */
  public readonly release: ApiObject;

  constructor(scope: Construct, id: string, props: FluxHelmReleaseProps) {
    super(scope, id);
    const { hub } = props;
    const config = composedConfig(this, 'FluxHelmReleaseConstruct', props.config, [{ name: 'props.hub', config: hub.config }]);
    this.config = config;
    const interval = props.interval ?? '10m';
    this.repository = new ApiObject(this, 'Repository', {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmRepository',
      metadata: { name: hub.releaseName, namespace: hub.namespace },
      spec: { url: config.chart.repo, interval: '1h' },
    });
    this.release = new ApiObject(this, 'Resource', {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: hub.releaseName, namespace: hub.namespace },
      spec: {
        interval,
        // Flux would name the release <targetNamespace>-<name>; helm and the HelmChart name it releaseName.
        releaseName: hub.releaseName,
        targetNamespace: hub.namespace,
        chart: {
          spec: {
            chart: config.chart.name,
            version: config.chart.version,
            sourceRef: { kind: 'HelmRepository', name: hub.releaseName, namespace: hub.namespace },
          },
        },
        // Install remediation is an uninstall: none, also not of the last failure.
        install: { remediation: { retries: 0, remediateLastFailure: false } },
        // Upgrade remediation rolls back to the release that worked, never uninstalls.
        upgrade: { remediation: { retries: 0, remediateLastFailure: true, strategy: 'rollback' } },
        // Built at synth time, like the HelmChart's valuesContent (discovery.allowSecretRead adds to it).
        values: Lazy.any({ produce: () => hub.valuesDocument }),
      },
    });
  }
}
