import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../lib/config/index.js';
import { renderInventoryTable } from '../../lib/inventory/mapping.js';
import { REPO, runSynth } from '../support/run-synth.js';
import { runCommand } from '../teardown/run-teardown.js';
import { tempDir } from '../support/temp-dir.js';

const FIXTURE = fileURLToPath(new URL('fixtures/thinkube', import.meta.url));
const SECRET_VALUES = ['ghp_fixtureGithubTokenNeverWritten0000', 'fixture-harbor-password-never-written', 'fixture-oidc-client-secret-never-written', '$ANSIBLE_VAULT', '6231336539'];

/** A copy of the fixture inventory to change, and an empty working folder. */
function workspace(): { inventory: string; cwd: string } {
  const root = tempDir('tjh-inventory');
  cpSync(FIXTURE, join(root, 'inventory'), { recursive: true });
  return { inventory: join(root, 'inventory'), cwd: root };
}

const importInventory = (cwd: string, ...args: string[]) => runCommand(['import-inventory', ...args], {}, cwd);

describe('import-inventory', () => {
  it('writes every variable that maps, as the control-plane host sees it with Ansible precedence', async () => {
    const { cwd } = workspace();
    const result = await importInventory(cwd, 'inventory/inventory.yaml');
    expect(result.code, result.stderr).toBe(0);
    const written = readFileSync(join(cwd, 'jupyterhub.config.yaml'), 'utf8');
    expect(parse(written)).toEqual({
      namespace: 'jupyterhub',
      hostname: 'jupyter.thinkube.lab.example.org',
      keycloak: { clientId: 'jupyterhub', url: 'https://auth.thinkube.lab.example.org', realm: 'thinkube', adminUsername: 'tkadmin' },
      // group_vars 500Gi < host_vars 2Ti; group_vars 200Gi < inventory host var 300Gi
      storage: { notebooksCapacity: '100Gi', datasetsCapacity: '2Ti', modelsCapacity: '300Gi', scratchCapacity: '100Gi', examplesCapacity: '1Gi' },
      harbor: { registry: 'registry.thinkube.lab.example.org', project: 'thinkube' },
      domainName: 'thinkube.lab.example.org',
    });
    expect(result.stdout).toContain('inventory: inventory/inventory.yaml (variables of host tkc); read inventory.yaml, group_vars/all.yml, group_vars/k8s.yml, group_vars/k8s_control_plane/jupyterhub.yml, host_vars/tkc.yml');
    expect(result.stdout).toContain('skipped group_vars/k8s_control_plane/vault.yml: encrypted with ansible-vault');
    expect(result.stdout).toContain('  keycloak_url → keycloak.url: "https://auth.thinkube.lab.example.org"');
    expect(result.stdout).toContain('  jupyterhub_chart_version: chart 3.5.0 is older than Z2JH 4, which the values are written for: left at the default 4.4.0');
    expect(result.stdout).toContain('  kubeconfig: KUBECONFIG for the bootstrap, preflight and teardown commands (synthesis needs no cluster) (here: export KUBECONFIG=/home/thinkube/.kube/config)');
    expect(result.stdout).toContain('  kubectl_bin: not needed');
    expect(result.stdout).toContain('secrets, skipped and never written (5): github_token, harbor_admin_password, jupyterhub_client_secret, jupyterhub_proxy_token, keycloak_admin_password');
    expect(result.stdout).toMatch(/no config field for the other \d+ variables: .*ssl_cert_dir/);
    for (const secret of SECRET_VALUES) {
      expect(written).not.toContain(secret);
      expect(result.stdout + result.stderr).not.toContain(secret);
    }
    // The consumers: the config loader and synth take the file as it is.
    const { config } = loadConfig({ THINKUBE_JH_CONFIG: join(cwd, 'jupyterhub.config.yaml') }, cwd);
    expect(config.hubUrl).toBe('https://jupyter.thinkube.lab.example.org');
    expect(config.adminUsers).toEqual(['tkadmin']);
    const synth = runSynth({ env: { THINKUBE_JH_CONFIG: join(cwd, 'jupyterhub.config.yaml') } });
    expect(synth.status, synth.stderr).toBe(0);
    expect(synth.files['jupyterhub.k8s.yaml']).toContain('storage: 2Ti');
  });

  it('takes another host\'s view with --host, and an inventory folder', async () => {
    const { cwd } = workspace();
    const result = await importInventory(cwd, 'inventory', '--host', 'tkw1', '--output', 'worker.yaml');
    expect(result.code, result.stderr).toBe(0);
    // A worker is not in k8s_control_plane: that group's variables (the other capacities) are not its.
    expect(parse(readFileSync(join(cwd, 'worker.yaml'), 'utf8')).storage).toEqual({ datasetsCapacity: '1Gi' });
    const unknown = await importInventory(cwd, 'inventory', '--host', 'nope', '--output', 'x.yaml');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--host nope is not in the inventory (hosts: tkc, tkw1)');
  });

  it('refuses to overwrite an existing file without --force', async () => {
    const { cwd } = workspace();
    writeFileSync(join(cwd, 'jupyterhub.config.yaml'), 'domainName: mine.example.org\n');
    const refused = await importInventory(cwd, 'inventory/inventory.yaml');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('jupyterhub.config.yaml exists: nothing was written; pass --force to overwrite it');
    expect(readFileSync(join(cwd, 'jupyterhub.config.yaml'), 'utf8')).toBe('domainName: mine.example.org\n');
    const forced = await importInventory(cwd, 'inventory/inventory.yaml', '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(parse(readFileSync(join(cwd, 'jupyterhub.config.yaml'), 'utf8')).domainName).toBe('thinkube.lab.example.org');
  });

  it('reports invalid values like synth, names their variables and writes nothing', async () => {
    const { inventory, cwd } = workspace();
    writeFileSync(join(inventory, 'host_vars', 'tkc.yml'), 'jupyterhub_datasets_capacity: lots\njupyterhub_namespace: Not_A_Namespace\n');
    const result = await importInventory(cwd, 'inventory/inventory.yaml');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('invalid configuration imported from inventory/inventory.yaml (2 problems):');
    expect(result.stderr).toMatch(/storage\.datasetsCapacity: "lots" /);
    expect(result.stderr).toContain('  - storage.datasetsCapacity comes from jupyterhub_datasets_capacity');
    expect(result.stderr).toContain('  - namespace comes from jupyterhub_namespace');
    expect(existsSync(join(cwd, 'jupyterhub.config.yaml'))).toBe(false);
  });

  it('names a Jinja expression it will not evaluate instead of guessing', async () => {
    const { inventory, cwd } = workspace();
    writeFileSync(join(inventory, 'host_vars', 'tkc.yml'), 'jupyterhub_hostname: "{{ jupyter_subdomain | default(\'lab\') }}.{{ domain_name }}"\nharbor_project: "{{ undefined_project }}"\n');
    const result = await importInventory(cwd, 'inventory/inventory.yaml');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('  jupyterhub_hostname: uses the Jinja expression {{ jupyter_subdomain | default(\'lab\') }}: set the field by hand');
    expect(result.stdout).toContain('  harbor_project: refers to undefined_project, which the inventory does not set');
    expect(parse(readFileSync(join(cwd, 'jupyterhub.config.yaml'), 'utf8'))).not.toHaveProperty('hostname');
  });

  it('rejects usage errors with exit 2', async () => {
    const { cwd } = workspace();
    expect((await importInventory(cwd)).code).toBe(2);
    expect((await importInventory(cwd, 'missing.yaml')).stderr).toContain('inventory');
    expect((await importInventory(cwd, 'missing.yaml')).code).toBe(2);
  });
});

describe('the README\'s inventory table', () => {
  it('is the mapping import-inventory uses, row for row', () => {
    expect(readFileSync(join(REPO, 'README.md'), 'utf8')).toContain(renderInventoryTable());
  });
});
