import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { type Values, deepMerge } from '../../lib/index.js';
import { z2jhReference } from './vendor.js';

/**
 * Validates values the way helm does at install: the chart's defaults deep-merged
 * with ours, against the chart version's values schema. Returns ajv's errors.
 */
export function z2jhSchemaErrors(values: Values, chartVersion: string): string[] {
  const schema = parse(readFileSync(z2jhReference('values.schema', chartVersion), 'utf8'));
  const defaults = parse(readFileSync(z2jhReference('values', chartVersion), 'utf8'));
  delete schema.$schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  if (validate(deepMerge(defaults, values))) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}
