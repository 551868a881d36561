import { stringify } from 'yaml';
import type { Values } from './merge.js';

/**
 * The values as helm reads a values file: YAML 1.1 output quotes strings such
 * as 'yes' that helm (go-yaml) would read as booleans. The one serialization
 * every delivery carries, so that all four are byte-identical.
 */
export function valuesYaml(values: Readonly<Values>): string {
  return stringify(values, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false });
}
