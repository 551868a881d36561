import { parseArgs } from 'node:util';
import { BootstrapError } from '../bootstrap/errors.js';
import { TOOL_DEFAULTS } from '../config/defaults.js';
import { ExitCode } from '../bootstrap/exit-codes.js';
import { StreamReporter } from '../bootstrap/reporter.js';
import type { CliCommand, CliIo } from './io.js';

export const TEARDOWN_USAGE = `usage: thinkube-jupyterhub teardown [options]

Removes what 'kubectl apply -f dist' created, except user data: the claims,
and the namespace while it holds any claim, are kept. Order: the Ingress, then
the HelmChart (the helm-controller uninstalls the release; teardown waits for
it), then the other objects, cluster-scoped ones last. Never use
'kubectl delete -f dist': it deletes the namespace and with it every claim.

The objects are those synth makes from the config (jupyterhub.config.yaml or
$THINKUBE_JH_CONFIG), or those in --manifests DIR. The cluster is the current
context of KUBECONFIG (or ~/.kube/config).

options:
  --dry-run                 list what would be deleted and kept; change nothing
  --delete-data             also delete the claims and the namespace, with every
                            user's files; needs --confirm-namespace
  --confirm-namespace NAME  the hub namespace, typed to confirm --delete-data
  --legacy                  remove only the Ansible playbook's Ingress
                            jupyterhub-ingress (after migrating to this tool)
  --manifests DIR           tear down the objects in DIR (e.g. the dist/ you
                            applied) instead of synthesizing them
  --kubeconfig FILE         kubeconfig to use
  --timeout SECONDS         wait for the release uninstall and the namespace
                            (default ${TOOL_DEFAULTS.teardownTimeoutSeconds})
  -h, --help                this text

exit codes:
  0  done (or nothing to do)        6  cluster unreachable or credentials refused
  1  unexpected failure, or the     7  permission denied
     HelmChart not gone in time
  2  usage or configuration error (including a missing confirmation)`;

const OPTIONS = {
  'dry-run': { type: 'boolean' },
  'delete-data': { type: 'boolean' },
  'confirm-namespace': { type: 'string' },
  legacy: { type: 'boolean' },
  manifests: { type: 'string' },
  kubeconfig: { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

/** The typed confirmation of --delete-data: refused unless it names exactly the namespace that would go. */
function checkConfirmation(values: Values, namespace: string): void {
  const typed = values['confirm-namespace'];
  if (!values['delete-data']) {
    if (typed !== undefined) throw new BootstrapError('--confirm-namespace only confirms --delete-data: add --delete-data or drop it', ExitCode.usage);
    return;
  }
  if (values.legacy) throw new BootstrapError('--delete-data does not combine with --legacy, which removes only the playbook\'s Ingress', ExitCode.usage);
  if (typed === undefined) {
    throw new BootstrapError(
      `--delete-data deletes the claims and namespace "${namespace}" with every user's files: `
      + `confirm by adding --confirm-namespace ${namespace}`,
      ExitCode.usage,
    );
  }
  if (typed !== namespace) {
    throw new BootstrapError(`--confirm-namespace "${typed}" is not the hub namespace "${namespace}": nothing was deleted`, ExitCode.usage);
  }
}

function timeoutMs(value: string | undefined): number {
  if (value === undefined) return TOOL_DEFAULTS.teardownTimeoutSeconds * 1000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new BootstrapError(`--timeout "${value}" is not a number of seconds greater than 0`, ExitCode.usage);
  return seconds * 1000;
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const reporter = new StreamReporter(io.stdout, io.stderr);
  const fail = (message: string, code: number): number => {
    io.stderr.write(`error: ${message}\n`);
    return code;
  };
  let values: Values;
  try {
    values = parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${TEARDOWN_USAGE}`, ExitCode.usage);
  }
  if (values.help) {
    io.stdout.write(`${TEARDOWN_USAGE}\n`);
    return ExitCode.ok;
  }
  const { ConfigError, loadConfig } = await import('../config/index.js');
  try {
    const { config } = loadConfig(io.env, io.cwd);
    checkConfirmation(values, config.namespace);
    const options = { dryRun: values['dry-run'], deleteData: values['delete-data'], timeoutMs: timeoutMs(values.timeout) };
    const { loadKubeConfig } = await import('../bootstrap/cluster/kube-session.js');
    const { TeardownCluster } = await import('../teardown/cluster.js');
    const teardownModule = await import('../teardown/teardown.js');
    const env = values.kubeconfig === undefined ? io.env : { ...io.env, KUBECONFIG: values.kubeconfig };
    const cluster = new TeardownCluster(loadKubeConfig(env));
    if (values.legacy) {
      await teardownModule.removeLegacy(cluster, config.namespace, options, reporter);
    } else {
      const { planTeardown } = await import('../teardown/plan.js');
      const { readManifests } = await import('../teardown/manifests.js');
      const { synthesizedObjects } = await import('../app/jupyterhub-chart.js');
      const manifests = values.manifests === undefined ? synthesizedObjects(config) : readManifests(values.manifests, io.cwd);
      await teardownModule.teardown(cluster, planTeardown(manifests), options, reporter);
    }
    io.stdout.write(options.dryRun ? 'teardown: dry run, nothing was changed\n' : 'teardown: done\n');
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message, ExitCode.usage);
    if (error instanceof BootstrapError) return fail(error.message, error.exitCode);
    return fail(`unexpected: ${error instanceof Error ? error.message : String(error)}`, ExitCode.unexpected);
  }
}

/** The `teardown` subcommand: removes what apply created and keeps user data. */
export const teardownCommand: CliCommand = { run };
