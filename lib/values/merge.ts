export type Values = Record<string, unknown>;

function isMap(value: unknown): value is Values {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Merges like helm does with several values files: maps merge key by key,
 * scalars and lists from `override` win, and a null in `override` removes the key.
 */
export function deepMerge(base: Values, override: Values): Values {
  const result: Values = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) {
      delete result[key];
    } else if (isMap(value) && isMap(result[key])) {
      result[key] = deepMerge(result[key] as Values, value);
    } else {
      result[key] = value;
    }
  }
  return result;
}

/** Merges any number of partial values documents, later ones winning. */
export function mergeAll(...parts: readonly Values[]): Values {
  return parts.reduce((merged, part) => deepMerge(merged, part), {});
}
