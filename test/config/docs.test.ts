import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod/v3';
import { ENVIRONMENT_OVERRIDES, configInputSchema } from '../../lib/index.js';

const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');

function unwrap(schema: z.ZodTypeAny): z.ZodTypeAny {
  return schema instanceof z.ZodOptional ? unwrap(schema.unwrap()) : schema;
}

/** Every documented leaf: object fields recurse, everything else (lists, records) is a leaf. */
function fieldPaths(schema: z.ZodTypeAny, prefix = ''): string[] {
  const inner = unwrap(schema);
  if (!(inner instanceof z.ZodObject)) return [prefix];
  return Object.entries(inner.shape as Record<string, z.ZodTypeAny>)
    .flatMap(([key, child]) => fieldPaths(child, prefix ? `${prefix}.${key}` : key));
}

describe('docs/configuration.md', () => {
  const paths = fieldPaths(configInputSchema);

  it('documents every config field', () => {
    expect(paths.length).toBeGreaterThan(50);
    for (const path of paths) expect(doc, path).toContain(`| \`${path}\` |`);
  });

  it('documents no field that does not exist', () => {
    const documented = [...doc.matchAll(/^\| `([a-zA-Z.]+)` \| `[^|]*` \|/gm)].map((m) => m[1]);
    const known = new Set(paths);
    for (const field of documented) expect(known.has(field), field).toBe(true);
  });

  it('documents every environment override', () => {
    for (const [variable, path] of Object.entries(ENVIRONMENT_OVERRIDES)) {
      expect(doc).toContain(`| \`${variable}\` | \`${path.join('.')}\` |`);
    }
  });
});
