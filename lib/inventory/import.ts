import { INVENTORY_MAPPING, isSecretVariable } from './mapping.js';
import type { InventoryVars } from './read-inventory.js';
import { resolveVariable } from './templates.js';

export interface ImportedField {
  readonly variable: string;
  readonly field: string;
  readonly value: unknown;
}

export interface NotImported {
  readonly variable: string;
  readonly reason: string;
}

export interface InventoryImport {
  /** The config file's content: every field that maps, nested like the file. */
  readonly config: Record<string, unknown>;
  readonly imported: readonly ImportedField[];
  /** Variables of the mapping table that are set but not written, with the reason. */
  readonly notImported: readonly NotImported[];
  /** Names (never values) of the secret variables found. */
  readonly secrets: readonly string[];
  /** Every other variable: no config field corresponds to it. */
  readonly unrelated: readonly string[];
}

function setField(target: Record<string, unknown>, field: string, value: unknown): void {
  const keys = field.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

/** Maps the variables of an inventory onto config fields with the README's table (INVENTORY_MAPPING). */
export function importInventory(inventory: InventoryVars): InventoryImport {
  const { vars } = inventory;
  const config: Record<string, unknown> = {};
  const imported: ImportedField[] = [];
  const notImported: NotImported[] = [];
  const known = new Set<string>();
  for (const entry of INVENTORY_MAPPING) {
    for (const variable of entry.variables) {
      known.add(variable);
      if (!(variable in vars) || isSecretVariable(variable)) continue;
      const resolved = resolveVariable(vars, variable);
      if (entry.field === undefined) {
        const hint = entry.hint !== undefined && 'value' in resolved ? ` (here: ${entry.hint(resolved.value)})` : '';
        notImported.push({ variable, reason: `${entry.note!.replace(/`/g, '')}${hint}` });
        continue;
      }
      if ('reason' in resolved) {
        notImported.push({ variable, reason: resolved.reason });
        continue;
      }
      const rejected = entry.reject?.(resolved.value);
      if (rejected !== undefined) {
        notImported.push({ variable, reason: rejected });
        continue;
      }
      // YAML reads 100Gi as a string but 4.2 or 8 as numbers; the fields are strings.
      const value = typeof resolved.value === 'number' ? String(resolved.value) : resolved.value;
      setField(config, entry.field, value);
      imported.push({ variable, field: entry.field, value });
    }
  }
  const names = Object.keys(vars).sort();
  return {
    config,
    imported,
    notImported,
    secrets: names.filter(isSecretVariable),
    unrelated: names.filter((name) => !known.has(name) && !isSecretVariable(name)),
  };
}
