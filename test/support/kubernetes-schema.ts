import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import type { Manifest } from './synth.js';

type Validatable = new (data: unknown) => { validate(): void };

/** Validates a built-in Kubernetes object with kubernetes-models' OpenAPI schemas; throws on error. */
export async function validateKubernetesObject(manifest: Manifest): Promise<void> {
  const module = await import(`kubernetes-models/${manifest.apiVersion}`) as Record<string, Validatable>;
  const model = module[manifest.kind];
  if (!model) throw new Error(`kubernetes-models has no ${manifest.apiVersion} ${manifest.kind}`);
  new model(manifest).validate();
}

/** Errors of `manifest` against the openAPIV3Schema of a CRD file's served version. */
export function crdSchemaErrors(crdFile: string, manifest: Manifest): string[] {
  const crd = parse(readFileSync(crdFile, 'utf8'));
  const version = manifest.apiVersion.split('/')[1];
  const served = crd.spec.versions.find((v: { name: string }) => v.name === version);
  if (!served) return [`${crdFile} serves no version ${version}`];
  const validate = new Ajv({ allErrors: true, strict: false }).compile(served.schema.openAPIV3Schema);
  return validate(manifest) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
