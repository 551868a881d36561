import type { CliCommand } from './io.js';

export interface CommandEntry {
  /** One line for the command list. */
  readonly summary: string;
  /** Loaded on use, so one command's dependencies never slow another down. */
  readonly load: () => Promise<CliCommand>;
}

/** The subcommands of `thinkube-jupyterhub`; a new one is a file in lib/cli/ and a line here. */
export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  'bootstrap-keycloak': {
    summary: 'reconcile the hub\'s Keycloak OIDC client and write its Secret (run before synth)',
    load: async () => (await import('./bootstrap-keycloak.js')).bootstrapKeycloakCommand,
  },
  preflight: {
    summary: 'check the cluster is ready for the hub: Secrets, HelmChart CRD, storage class, Ingress host, thinkube-control',
    load: async () => (await import('./preflight.js')).preflightCommand,
  },
  'import-inventory': {
    summary: 'write jupyterhub.config.yaml from a Thinkube Ansible inventory (never a secret)',
    load: async () => (await import('./import-inventory.js')).importInventoryCommand,
  },
  teardown: {
    summary: 'remove what kubectl apply -f dist created, keeping the claims (user data) unless confirmed',
    load: async () => (await import('./teardown.js')).teardownCommand,
  },
};
