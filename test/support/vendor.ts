import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The upstream reference data vendored into the project (provenance in vendor/README.md). */
export const VENDOR_DIR = fileURLToPath(new URL('../../vendor', import.meta.url));

/** The CRD of helm.cattle.io/v1 HelmChart. */
export const HELMCHART_CRD = join(VENDOR_DIR, 'crds', 'helm.cattle.io_helmcharts.yaml');

/** The CRDs of Flux's HelmRelease (helm.toolkit.fluxcd.io/v2) and HelmRepository (source.toolkit.fluxcd.io/v1). */
export const FLUX_CRDS = [join(VENDOR_DIR, 'crds', 'helm.toolkit.fluxcd.io_helmreleases.yaml'), join(VENDOR_DIR, 'crds', 'source.toolkit.fluxcd.io_helmrepositories.yaml')] as const;

/** The CRD of Gateway API HTTPRoute (gateway.networking.k8s.io/v1, standard channel). */
export const HTTPROUTE_CRD = join(VENDOR_DIR, 'crds', 'gateway.networking.k8s.io_httproutes.yaml');

/** The Z2JH chart's values schema or default values of a chart version. */
export const z2jhReference = (file: 'values' | 'values.schema', chartVersion: string) => join(VENDOR_DIR, 'z2jh', `${file}-${chartVersion}.yaml`);
