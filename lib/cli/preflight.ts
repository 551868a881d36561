import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/index.js';
import { formatResults, preflight } from '../preflight/run.js';
import type { CliCommand, CliIo } from './io.js';

export const PREFLIGHT_USAGE = `usage: thinkube-jupyterhub preflight [options]

Checks that the cluster is ready for the hub: the OIDC Secret, the TLS Secret,
the HelmChart CRD, the storage class and the volumes bound to the claims (WARN
when their reclaim policy deletes the users' data with a claim), no other
Ingress for the hub's host (such as the Ansible playbook's jupyterhub-ingress),
and thinkube-control listing at least one Jupyter image. One line per check;
exit 0 when all pass (warnings included), 1 when any fails, 2 on a
configuration or usage error.

Options:
  --kubeconfig FILE            kubeconfig to use (default: $KUBECONFIG, ~/.kube/config)
  --thinkube-control-url URL   thinkube-control API base reachable from here
                               (default: thinkubeControl.url of the config)
  --timeout SECONDS            thinkube-control request timeout (default: 5)
  -h, --help                   this text`;

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const err = (line: string) => io.stderr.write(`${line}\n`);
  let options;
  try {
    options = parseArgs({
      args: [...argv],
      options: {
        kubeconfig: { type: 'string' },
        'thinkube-control-url': { type: 'string' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (error) {
    err(`preflight: ${(error as Error).message}\n\n${PREFLIGHT_USAGE}`);
    return 2;
  }
  if (options.help) {
    out(PREFLIGHT_USAGE);
    return 0;
  }
  const timeout = options.timeout === undefined ? 5 : Number(options.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) {
    err(`preflight: --timeout "${options.timeout}" is not a positive number of seconds`);
    return 2;
  }
  let config;
  try {
    config = loadConfig(io.env, io.cwd).config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    err(error.message);
    return 2;
  }
  const results = await preflight(config, {
    kubeconfig: options.kubeconfig,
    thinkubeControlUrl: options['thinkube-control-url'],
    timeoutMs: timeout * 1000,
  });
  out(formatResults(results));
  const failed = results.filter((r) => !r.ok).length;
  const warned = results.filter((r) => r.ok && r.warning).length;
  const warnings = warned === 0 ? '' : ` (${warned} warning${warned === 1 ? '' : 's'}: read the WARN lines)`;
  out(failed === 0 ? `preflight: all checks passed${warnings}` : `preflight: ${failed} of ${results.length} checks failed${warnings}`);
  return failed === 0 ? 0 : 1;
}

/** The `preflight` subcommand: the checks the spec's deploy step made before installing. */
export const preflightCommand: CliCommand = { run };
