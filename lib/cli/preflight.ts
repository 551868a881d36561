import { parseArgs } from 'node:util';
import { BootstrapError } from '../bootstrap/errors.js';
import { ExitCode } from '../bootstrap/exit-codes.js';
import { ConfigError, TOOL_DEFAULTS, loadConfig } from '../config/index.js';
import { type ClusterCapabilities, detectCapabilities, formatCapabilities, misfitWarnings } from '../preflight/capabilities.js';
import { DEFAULT_PREFLIGHT_TIMEOUT_SECONDS, formatResults, preflight } from '../preflight/run.js';
import type { CliCommand, CliIo } from './io.js';

export const PREFLIGHT_USAGE = `usage: thinkube-jupyterhub preflight [options]

Checks that the cluster is ready for the hub: the OIDC Secret, the TLS Secret
(tls.mode copyWildcard or existingSecret), the HelmChart CRD (delivery
helmChart), the storage class and the volumes bound to the claims (WARN when
their reclaim policy deletes the users' data with a claim), no other Ingress
for the hub's host (such as the Ansible playbook's jupyterhub-ingress), and
thinkube-control listing at least one Jupyter image. One line per check.
Then what the cluster can reconcile (the HelmChart CRD, a running
helm-controller, Flux's CRDs and controllers, the Gateway API CRDs,
IngressClasses, cert-manager) and which delivery, routing and tls.mode values
fit it, the recommended one first; a WARN line for each configured one that
does not. Exit ${ExitCode.ok} when all pass (warnings included), ${ExitCode.checksFailed} when any fails,
${ExitCode.usage} on a configuration or usage error, ${ExitCode.clusterUnreachable} when the kubeconfig cannot be read.

Options:
  --kubeconfig FILE            kubeconfig to use (default: $KUBECONFIG, ~/.kube/config)
  --thinkube-control-url URL   thinkube-control API base reachable from here
                               (default: thinkubeControl.url of the config)
  --timeout SECONDS            thinkube-control request timeout (default: ${DEFAULT_PREFLIGHT_TIMEOUT_SECONDS});
                               each request to the cluster has ${TOOL_DEFAULTS.requestTimeoutSeconds} s
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
    return ExitCode.usage;
  }
  if (options.help) {
    out(PREFLIGHT_USAGE);
    return ExitCode.ok;
  }
  const timeout = options.timeout === undefined ? DEFAULT_PREFLIGHT_TIMEOUT_SECONDS : Number(options.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) {
    err(`preflight: --timeout "${options.timeout}" is not a positive number of seconds`);
    return ExitCode.usage;
  }
  let config;
  let kube;
  try {
    config = loadConfig(io.env, io.cwd).config;
    // The same loader, and the same error and exit code, as bootstrap-keycloak and teardown.
    const { loadKubeConfig } = await import('../bootstrap/cluster/kube-session.js');
    kube = loadKubeConfig(io.env, options.kubeconfig);
  } catch (error) {
    if (error instanceof ConfigError) {
      err(error.message);
      return ExitCode.usage;
    }
    if (!(error instanceof BootstrapError)) throw error;
    err(`preflight: ${error.message}`);
    return error.exitCode;
  }
  const detected = detectCapabilities(kube, config).then(
    (capabilities): ClusterCapabilities | Error => capabilities,
    (error: unknown) => error instanceof Error ? error : new Error(String(error)),
  );
  const results = await preflight(kube, config, {
    thinkubeControlUrl: options['thinkube-control-url'],
    timeoutMs: timeout * 1000,
  });
  out(formatResults(results));
  const capabilities = await detected;
  const misfits = capabilities instanceof Error ? [] : misfitWarnings(capabilities, config);
  out(capabilities instanceof Error ? `absent cluster capabilities: not detected: ${capabilities.message}` : formatCapabilities(capabilities).join('\n'));
  if (misfits.length > 0) out(misfits.join('\n'));
  const failed = results.filter((r) => !r.ok).length;
  const warned = results.filter((r) => r.ok && r.warning).length + misfits.length;
  const warnings = warned === 0 ? '' : ` (${warned} warning${warned === 1 ? '' : 's'}: read the WARN lines)`;
  out(failed === 0 ? `preflight: all checks passed${warnings}` : `preflight: ${failed} of ${results.length} checks failed${warnings}`);
  return failed === 0 ? ExitCode.ok : ExitCode.checksFailed;
}

/** The `preflight` subcommand: the checks the spec's deploy step made before installing. */
export const preflightCommand: CliCommand = { run };
