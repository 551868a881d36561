import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { type Tags, parse } from 'yaml';

/** A value ansible-vault encrypted inline (`!vault`): never decrypted, never written. */
export const VAULT = Symbol('ansible-vault');

// Ansible's own tags: `!vault` is encrypted, `!unsafe` is a string Jinja must not expand.
const ANSIBLE_TAGS: Tags = [
  { tag: '!vault', resolve: () => VAULT as unknown as string },
  { tag: '!unsafe', resolve: (value: string) => value },
];

export type Vars = Record<string, unknown>;

interface Group {
  vars: Vars;
  hosts: Map<string, Vars>;
  children: Set<string>;
}

/** The variables one host sees, merged with Ansible's precedence, and where they came from. */
export interface InventoryVars {
  readonly vars: Vars;
  /** The host whose view was taken, if any. */
  readonly host?: string;
  /** The files read, relative to the inventory's folder. */
  readonly files: readonly string[];
  /** Files skipped (ansible-vault encrypted), relative. */
  readonly encryptedFiles: readonly string[];
}

export class InventoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InventoryError';
  }
}

function mapping(value: unknown, where: string): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new InventoryError(`${where} must be a YAML mapping`);
  return value as Record<string, unknown>;
}

function readYaml(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  if (text.startsWith('$ANSIBLE_VAULT')) return VAULT;
  try {
    return parse(text, { customTags: ANSIBLE_TAGS });
  } catch (error) {
    throw new InventoryError(`${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Parses the YAML inventory format: `all:` with `vars`, `hosts` and `children`, recursively. */
function parseGroups(root: Record<string, unknown>, file: string): Map<string, Group> {
  const groups = new Map<string, Group>();
  const visit = (name: string, body: unknown) => {
    const group = groups.get(name) ?? { vars: {}, hosts: new Map(), children: new Set() };
    groups.set(name, group);
    const section = mapping(body, `group ${name} in ${file}`);
    Object.assign(group.vars, mapping(section.vars, `${name}.vars in ${file}`));
    for (const [host, vars] of Object.entries(mapping(section.hosts, `${name}.hosts in ${file}`))) {
      group.hosts.set(host, { ...group.hosts.get(host), ...mapping(vars, `host ${host} in ${file}`) });
    }
    for (const [child, childBody] of Object.entries(mapping(section.children, `${name}.children in ${file}`))) {
      group.children.add(child);
      visit(child, childBody);
    }
  };
  for (const [name, body] of Object.entries(root)) visit(name, body);
  if (!groups.has('all')) groups.set('all', { vars: {}, hosts: new Map(), children: new Set([...groups.keys()]) });
  return groups;
}

/** Depth of each group below `all` (Ansible merges shallower groups first). */
function depths(groups: Map<string, Group>): Map<string, number> {
  const depth = new Map<string, number>([['all', 0]]);
  const walk = (name: string, d: number, seen: Set<string>) => {
    if (seen.has(name)) return;
    depth.set(name, Math.max(depth.get(name) ?? 0, d));
    for (const child of groups.get(name)?.children ?? []) walk(child, d + 1, new Set([...seen, name]));
  };
  walk('all', 0, new Set());
  for (const name of groups.keys()) if (!depth.has(name)) depth.set(name, 1);
  return depth;
}

/** The groups `host` belongs to, directly or through a child group, `all` included. */
function groupsOf(groups: Map<string, Group>, host: string): Set<string> {
  const holds = (name: string, seen: Set<string>): boolean => {
    if (seen.has(name)) return false;
    seen.add(name);
    const group = groups.get(name);
    return group !== undefined && (group.hosts.has(host) || [...group.children].some((child) => holds(child, seen)));
  };
  return new Set(['all', ...[...groups.keys()].filter((name) => holds(name, new Set()))]);
}

/** The files of `group_vars/<name>` or `host_vars/<name>`: a file with or without extension, or a folder of them. */
function varsFiles(dir: string, name: string): string[] {
  const candidates = [name, `${name}.yml`, `${name}.yaml`, `${name}.json`].map((f) => join(dir, f)).filter((f) => existsSync(f));
  return candidates.flatMap((path) => (statSync(path).isDirectory()
    ? readdirSync(path).filter((f) => /(\.ya?ml|\.json)$/.test(f) || !f.includes('.')).sort().map((f) => join(path, f))
    : [path]));
}

/** Picks the host whose variables the playbooks saw: named, else the first control-plane host, else the only host. */
function chooseHost(groups: Map<string, Group>, requested: string | undefined): string | undefined {
  const allHosts = [...new Set([...groups.values()].flatMap((g) => [...g.hosts.keys()]))];
  if (requested !== undefined) {
    if (!allHosts.includes(requested)) throw new InventoryError(`--host ${requested} is not in the inventory (hosts: ${allHosts.join(', ') || 'none'})`);
    return requested;
  }
  // The JupyterHub playbooks run on `hosts: k8s_control_plane`.
  for (const group of ['k8s_control_plane', 'microk8s_control_plane']) {
    const first = groups.get(group)?.hosts.keys().next().value;
    if (first !== undefined) return first;
  }
  return allHosts.length === 1 ? allHosts[0] : undefined;
}

/** Resolves the inventory argument: a YAML file, or a folder holding inventory.yaml or hosts.yaml. */
function inventoryFile(path: string): string {
  if (!existsSync(path)) throw new InventoryError(`inventory ${path} does not exist`);
  if (!statSync(path).isDirectory()) return path;
  const found = ['inventory.yaml', 'inventory.yml', 'hosts.yaml', 'hosts.yml'].map((f) => join(path, f)).find((f) => existsSync(f));
  if (found === undefined) throw new InventoryError(`folder ${path} holds no inventory.yaml or hosts.yaml: pass the YAML inventory file`);
  return found;
}

/**
 * Reads a YAML inventory with the `group_vars/` and `host_vars/` beside it and
 * merges the variables one host sees, lowest precedence first: the inventory's
 * group vars, group_vars/all, group_vars/<group> (parents before children),
 * the inventory's host vars, host_vars/<host>.
 * @see https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_variables.html#understanding-variable-precedence
 */
export function readInventory(path: string, requestedHost?: string): InventoryVars {
  const file = inventoryFile(path);
  const dir = dirname(file);
  const root = readYaml(file);
  if (root === VAULT) throw new InventoryError(`${file} is encrypted with ansible-vault: decrypt a copy first (ansible-vault view)`);
  const groups = parseGroups(mapping(root, file), file);
  const host = chooseHost(groups, requestedHost);
  const depth = depths(groups);
  const member = host === undefined ? new Set(groups.keys()) : groupsOf(groups, host);
  const ordered = [...member].sort((a, b) => (depth.get(a)! - depth.get(b)!) || a.localeCompare(b));
  const files: string[] = [basename(file)];
  const encryptedFiles: string[] = [];
  const vars: Vars = {};
  const fromFiles = (folder: string, name: string) => {
    for (const varsFile of varsFiles(join(dir, folder), name)) {
      const content = readYaml(varsFile);
      if (content === VAULT) {
        encryptedFiles.push(relative(dir, varsFile));
        continue;
      }
      Object.assign(vars, mapping(content, varsFile));
      files.push(relative(dir, varsFile));
    }
  };
  for (const name of ordered) Object.assign(vars, groups.get(name)!.vars);
  fromFiles('group_vars', 'all');
  for (const name of ordered.filter((g) => g !== 'all')) fromFiles('group_vars', name);
  if (host !== undefined) {
    for (const name of ordered) Object.assign(vars, groups.get(name)!.hosts.get(host) ?? {});
    fromFiles('host_vars', host);
  }
  return { vars, host, files, encryptedFiles };
}
