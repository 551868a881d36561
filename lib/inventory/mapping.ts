import { DEFAULTS } from '../config/index.js';

/** What becomes of one inventory variable; the README's "From the Ansible inventory" table is rendered from this list. */
export interface InventoryMapping {
  /** Variable names of the seed inventory (one table row). */
  readonly variables: readonly string[];
  /** The config field it is written to (dotted path), if any. */
  readonly field?: string;
  /** The rest of the README cell: why it is not a field, or what else it sets. */
  readonly note?: string;
  /** Set in the environment of the playbook run, not in the inventory. */
  readonly environment?: boolean;
  /** For a variable that is not a field: what to do with its value instead. */
  readonly hint?: (value: unknown) => string;
  /** Refuses a value the field would accept but we do not support; returns the reason. */
  readonly reject?: (value: unknown) => string | undefined;
}

/** Z2JH 4 ships JupyterHub 5, whose configuration the values are written for. */
function unsupportedChart(value: unknown): string | undefined {
  const major = Number(String(value).split('.')[0]);
  return Number.isFinite(major) && major >= 4
    ? undefined
    : `chart ${String(value)} is older than Z2JH 4, which the values are written for: left at the default ${DEFAULTS.chart.version}`;
}

export const INVENTORY_MAPPING: readonly InventoryMapping[] = [
  { variables: ['jupyterhub_namespace'], field: 'namespace' },
  { variables: ['jupyterhub_hostname'], field: 'hostname' },
  {
    variables: ['jupyterhub_chart_version'],
    field: 'chart.version',
    note: `(default ${DEFAULTS.chart.version}, the newest chart whose schema we validate against; the seed's 3.5.0 is not supported and not imported)`,
    reject: unsupportedChart,
  },
  { variables: ['jupyterhub_client_id'], field: 'keycloak.clientId' },
  { variables: ['jupyterhub_notebooks_capacity'], field: 'storage.notebooksCapacity' },
  { variables: ['jupyterhub_datasets_capacity'], field: 'storage.datasetsCapacity' },
  { variables: ['jupyterhub_models_capacity'], field: 'storage.modelsCapacity' },
  { variables: ['jupyterhub_scratch_capacity'], field: 'storage.scratchCapacity' },
  { variables: ['jupyterhub_examples_capacity'], field: 'storage.examplesCapacity' },
  { variables: ['keycloak_url'], field: 'keycloak.url' },
  { variables: ['keycloak_realm'], field: 'keycloak.realm' },
  { variables: ['admin_username'], field: 'keycloak.adminUsername', note: '(and the default `adminUsers`)' },
  { variables: ['harbor_registry'], field: 'harbor.registry' },
  { variables: ['harbor_project'], field: 'harbor.project' },
  { variables: ['domain_name'], field: 'domainName' },
  {
    variables: ['kubeconfig'],
    note: '`KUBECONFIG` for the bootstrap, preflight and teardown commands (synthesis needs no cluster)',
    hint: (value) => `export KUBECONFIG=${String(value)}`,
  },
  { variables: ['kubectl_bin', 'helm_bin'], note: 'not needed: you run `kubectl apply`; the helm-controller or Flux runs helm, or with `delivery: helmValues` you run the printed `helm` command (e.g. with `/snap/k8s/current/bin/helm`)' },
  { variables: ['ADMIN_PASSWORD'], environment: true, note: '`ADMIN_PASSWORD` for the bootstrap command only; never stored' },
];

/**
 * A variable whose value must never reach the config file or the output:
 * Ansible's naming of passwords, tokens, secrets and keys.
 */
export function isSecretVariable(name: string): boolean {
  return name === 'ADMIN_PASSWORD' || /(^|_)(password|passwd|token|secret|api_key|private_key)$/i.test(name);
}

/** The README table, row for row. */
export function renderInventoryTable(): string {
  const rows = INVENTORY_MAPPING.map((m) => {
    const variables = m.variables.map((v) => `\`${v}\``).join(', ');
    const target = [m.field === undefined ? undefined : `\`${m.field}\``, m.note].filter(Boolean).join(' ');
    return `| ${variables}${m.environment ? ' (environment)' : ''} | ${target} |`;
  });
  return ['| seed inventory variable | config field |', '| --- | --- |', ...rows].join('\n');
}
