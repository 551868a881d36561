import { parseArgs } from 'node:util';
import { BootstrapError } from '../bootstrap/errors.js';
import { TOOL_DEFAULTS } from '../config/defaults.js';
import { ExitCode } from '../bootstrap/exit-codes.js';
import { StreamReporter } from '../bootstrap/reporter.js';
import type { CliCommand, CliIo } from './io.js';

export const BOOTSTRAP_KEYCLOAK_USAGE = `usage: thinkube-jupyterhub bootstrap-keycloak [options]

Makes Keycloak and the cluster ready for the hub, before synth: reconciles the
OIDC client (creates it, or updates only what differs), reads its secret and
applies Secret <keycloak.oidcSecretName> (keys client_id, client_secret) in the
hub namespace with server-side apply, creating the namespace, and copies the
wildcard TLS certificate when tls.copyWildcardCertificate is true. A second run
changes nothing.

Config: jupyterhub.config.yaml (or $THINKUBE_JH_CONFIG) and its environment
overrides (KEYCLOAK_URL, KEYCLOAK_REALM, ADMIN_USERNAME, ...). The admin
password comes from ADMIN_PASSWORD; KEYCLOAK_ADMIN_CLIENT_ID with
KEYCLOAK_ADMIN_CLIENT_SECRET log in with client credentials instead. The
cluster is the current context of KUBECONFIG (or ~/.kube/config).

options:
  --dry-run              print the plan; change nothing
  --rotate-secret        generate a new client secret (restart the hub afterwards);
                         checks first that the Secret or FILE can be written
  --adopt-client         take over an existing client this command did not
                         create (e.g. the playbook's); built-in clients never
  --write-manifest FILE  write the Secret manifest to FILE (mode 0600) instead
                         of applying it; no cluster access; never inside the
                         synth output (dist/ or $CDK8S_OUTDIR)
  --ca-file FILE         trust this CA (PEM) for Keycloak's certificate
  --insecure             do not verify Keycloak's certificate (loud warning)
  --timeout SECONDS      per-request timeout towards Keycloak and the cluster
                         (default ${TOOL_DEFAULTS.requestTimeoutSeconds}, at most ${TOOL_DEFAULTS.maxRequestTimeoutSeconds})
  -h, --help             this text

exit codes:
  0  done (or nothing to do)         5  Keycloak unreachable, timing out or 5xx
  1  unexpected failure              6  cluster unreachable or credentials refused
  2  usage or configuration error    7  permission denied (Keycloak or cluster)
  3  Keycloak refused the admin login  130  interrupted (run again to finish)
  4  realm not found`;

const OPTIONS = {
  'dry-run': { type: 'boolean' },
  'rotate-secret': { type: 'boolean' },
  'adopt-client': { type: 'boolean' },
  'write-manifest': { type: 'string' },
  'ca-file': { type: 'string' },
  insecure: { type: 'boolean' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function timeoutMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new BootstrapError(`--timeout "${value}" is not a number of seconds greater than 0`, ExitCode.usage);
  }
  if (seconds > TOOL_DEFAULTS.maxRequestTimeoutSeconds) {
    throw new BootstrapError(`--timeout "${value}" is more than ${TOOL_DEFAULTS.maxRequestTimeoutSeconds} seconds: give the per-request timeout, e.g. --timeout 30`, ExitCode.usage);
  }
  return Math.max(1, Math.round(seconds * 1000));
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const reporter = new StreamReporter(io.stdout, io.stderr);
  const fail = (message: string, code: number): number => {
    io.stderr.write(`${reporter.redact(`error: ${message}`)}\n`);
    return code;
  };
  let values;
  try {
    values = parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${BOOTSTRAP_KEYCLOAK_USAGE}`, ExitCode.usage);
  }
  if (values.help) {
    io.stdout.write(`${BOOTSTRAP_KEYCLOAK_USAGE}\n`);
    return ExitCode.ok;
  }
  const env = io.env;
  reporter.addSecret(env.ADMIN_PASSWORD);
  reporter.addSecret(env.KEYCLOAK_ADMIN_CLIENT_SECRET);
  // Loaded after the arguments are parsed: --help and usage errors stay instant.
  const { ConfigError, loadConfig } = await import('../config/index.js');
  try {
    const timeout = timeoutMs(values.timeout);
    const { bootstrapKeycloak } = await import('../bootstrap/bootstrap-keycloak.js');
    const { synthOutputDirs } = await import('../bootstrap/cluster/manifest-file.js');
    const { config, file } = loadConfig(env, io.cwd);
    await bootstrapKeycloak(config, {
      adminPassword: env.ADMIN_PASSWORD,
      adminClientId: env.KEYCLOAK_ADMIN_CLIENT_ID,
      adminClientSecret: env.KEYCLOAK_ADMIN_CLIENT_SECRET,
      dryRun: values['dry-run'],
      rotateSecret: values['rotate-secret'],
      adoptClient: values['adopt-client'],
      writeManifest: values['write-manifest'],
      caFile: values['ca-file'],
      insecure: values.insecure,
      timeoutMs: timeout,
      kubeconfig: async () => (await import('../bootstrap/cluster/kube-session.js')).loadKubeConfig(env),
      cwd: io.cwd,
      synthOutputDirs: synthOutputDirs(io.cwd, env, file),
      onSecret: (secret) => reporter.addSecret(secret),
    }, reporter);
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message, ExitCode.usage);
    if (error instanceof BootstrapError) return fail(error.message, error.exitCode);
    return fail(`unexpected: ${error instanceof Error ? error.message : String(error)}`, ExitCode.unexpected);
  }
}

export const bootstrapKeycloakCommand: CliCommand = { run };
