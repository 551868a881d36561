import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { type Values, deepMerge } from '../../lib/index.js';
import { SHARED_DIR } from './shared.js';

/**
 * Validates values the way helm does at install: the chart's defaults deep-merged
 * with ours, against the chart version's values schema. Returns ajv's errors.
 */
export function z2jhSchemaErrors(values: Values, chartVersion: string): string[] {
  const reference = join(SHARED_DIR, 'reference', 'z2jh');
  const schema = parse(readFileSync(join(reference, `values.schema-${chartVersion}.yaml`), 'utf8'));
  const defaults = parse(readFileSync(join(reference, `values-${chartVersion}.yaml`), 'utf8'));
  delete schema.$schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  if (validate(deepMerge(defaults, values))) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}
