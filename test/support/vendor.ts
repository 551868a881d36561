import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The upstream reference data vendored into the project (provenance in vendor/README.md). */
export const VENDOR_DIR = fileURLToPath(new URL('../../vendor', import.meta.url));

/** The CRD of helm.cattle.io/v1 HelmChart. */
export const HELMCHART_CRD = join(VENDOR_DIR, 'crds', 'helm.cattle.io_helmcharts.yaml');

/** The Z2JH chart's values schema or default values of a chart version. */
export const z2jhReference = (file: 'values' | 'values.schema', chartVersion: string) => join(VENDOR_DIR, 'z2jh', `${file}-${chartVersion}.yaml`);
