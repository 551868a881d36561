import { VAULT, type Vars } from './read-inventory.js';

/** A value ready for the config, or why it cannot be taken. */
export type Resolved = { readonly value: unknown } | { readonly reason: string };

const REFERENCE = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/;

/**
 * Expands the Jinja in a variable the way Ansible would, as far as it is a
 * plain reference (`"auth.{{ domain_name }}"`, as Thinkube's group_vars
 * write them); any other expression (filters, calls, `{% %}`) is reported,
 * never guessed.
 */
export function resolveVariable(vars: Vars, name: string, seen: readonly string[] = []): Resolved {
  if (seen.includes(name)) return { reason: `refers to itself through ${[...seen, name].join(' → ')}` };
  if (!(name in vars)) return { reason: `refers to ${name}, which the inventory does not set` };
  const value = vars[name];
  if (value === VAULT) return { reason: 'is encrypted with ansible-vault' };
  if (typeof value !== 'string') return { value };
  if (value.includes('{%') || value.includes('{#')) return { reason: `uses Jinja statements (${value}): set the field by hand` };
  let failure: string | undefined;
  const expanded = value.replace(/\{\{(.*?)\}\}/g, (whole, expression: string) => {
    const reference = REFERENCE.exec(expression);
    if (reference === null) {
      failure ??= `uses the Jinja expression ${whole.trim()}: set the field by hand`;
      return whole;
    }
    const inner = resolveVariable(vars, reference[1], [...seen, name]);
    if ('reason' in inner) {
      failure ??= inner.reason;
      return whole;
    }
    return String(inner.value);
  });
  return failure === undefined ? { value: expanded } : { reason: failure };
}
