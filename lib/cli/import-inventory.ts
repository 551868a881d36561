import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { ExitCode } from '../bootstrap/exit-codes.js';
import { ConfigError, DEFAULT_CONFIG_FILE, resolveConfig } from '../config/index.js';
import { type InventoryImport, importInventory } from '../inventory/import.js';
import { InventoryError, type InventoryVars, readInventory } from '../inventory/read-inventory.js';
import type { CliCommand, CliIo } from './io.js';

export const IMPORT_INVENTORY_USAGE = `usage: thinkube-jupyterhub import-inventory INVENTORY [options]

Reads a Thinkube Ansible inventory (the YAML inventory file, or its folder,
with the group_vars/ and host_vars/ beside it), merges the variables the way
Ansible does for one host, and writes ${DEFAULT_CONFIG_FILE} with every
variable that maps to a config field (README: "From the Ansible inventory").
Lists what it did not map. Never writes a secret: passwords, tokens, secrets
and keys are only named. The result is validated like synth validates.

options:
  --host NAME      whose variables to take (default: the first host of
                   k8s_control_plane, where the playbooks ran, or the only host)
  --output FILE    where to write (default: ${DEFAULT_CONFIG_FILE})
  --force          overwrite an existing FILE
  -h, --help       this text

exit codes: 0 written, 1 unexpected failure, 2 usage, inventory or config error`;

function report(source: string, inventory: InventoryVars, result: InventoryImport): string[] {
  const lines = [`inventory: ${source}${inventory.host ? ` (variables of host ${inventory.host})` : ''}; read ${inventory.files.join(', ')}`];
  for (const file of inventory.encryptedFiles) lines.push(`skipped ${file}: encrypted with ansible-vault`);
  lines.push(`mapped (${result.imported.length}):`);
  for (const { variable, field, value } of result.imported) lines.push(`  ${variable} → ${field}: ${JSON.stringify(value)}`);
  if (result.notImported.length > 0) {
    lines.push(`not mapped (${result.notImported.length}):`);
    for (const { variable, reason } of result.notImported) lines.push(`  ${variable}: ${reason}`);
  }
  if (result.secrets.length > 0) {
    lines.push(`secrets, skipped and never written (${result.secrets.length}): ${result.secrets.join(', ')}`);
  }
  if (result.unrelated.length > 0) {
    lines.push(`no config field for the other ${result.unrelated.length} variables: ${result.unrelated.join(', ')}`);
  }
  return lines;
}

function fileContent(source: string, inventory: InventoryVars, config: Record<string, unknown>): string {
  return [
    `# Imported from ${source}${inventory.host ? ` (host ${inventory.host})` : ''} by thinkube-jupyterhub import-inventory.`,
    '# Every field is described in docs/configuration.md. No secret is written here:',
    '# ADMIN_PASSWORD stays in the environment of bootstrap-keycloak.',
    stringify(config).trimEnd(),
    '',
  ].join('\n');
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const fail = (message: string, code: number = ExitCode.usage): number => {
    io.stderr.write(`error: ${message}\n`);
    return code;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { host: { type: 'string' }, output: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${IMPORT_INVENTORY_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out(IMPORT_INVENTORY_USAGE);
    return ExitCode.ok;
  }
  if (positionals.length !== 1) return fail(`name one inventory (got ${positionals.length})\n\n${IMPORT_INVENTORY_USAGE}`);
  const source = positionals[0];
  const output = resolve(io.cwd, values.output ?? DEFAULT_CONFIG_FILE);
  if (existsSync(output) && !values.force) {
    return fail(`${output} exists: nothing was written; pass --force to overwrite it, or --output FILE`);
  }
  let inventory: InventoryVars;
  try {
    inventory = readInventory(resolve(io.cwd, source), values.host);
  } catch (error) {
    if (error instanceof InventoryError) return fail(error.message);
    throw error;
  }
  const result = importInventory(inventory);
  report(source, inventory, result).forEach(out);
  try {
    resolveConfig(result.config, `configuration imported from ${source}`);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const origin = error.problems.flatMap((p) => result.imported.filter((i) => i.field === p.field).map((i) => `  - ${p.field} comes from ${i.variable}`));
    return fail([error.message, ...origin, `nothing was written: fix the inventory or write ${output} by hand`].join('\n'));
  }
  // Written beside the target and renamed: an interrupted run never leaves half a file.
  const partial = `${output}.partial`;
  writeFileSync(partial, fileContent(source, inventory, result.config), { mode: 0o644 });
  renameSync(partial, output);
  out(`wrote ${output}: ${result.imported.length} field${result.imported.length === 1 ? '' : 's'}; next: npm run synth`);
  return ExitCode.ok;
}

/** The `import-inventory` subcommand: an Ansible inventory → jupyterhub.config.yaml. */
export const importInventoryCommand: CliCommand = { run };
