import type { KubeConfig } from '@kubernetes/client-node';
import { type Config, TOOL_DEFAULTS } from '../config/index.js';
import {
  type CheckResult, claimVolumesCheck, duplicateIngressCheck, helmChartCrdCheck, oidcSecretCheck, storageClassCheck, thinkubeControlCheck, tlsSecretCheck,
} from './checks.js';

/** How long preflight waits for thinkube-control when not told. */
export const DEFAULT_PREFLIGHT_TIMEOUT_SECONDS = TOOL_DEFAULTS.preflightTimeoutSeconds;

export interface PreflightOptions {
  /** thinkube-control base URL reachable from here; default: `config.thinkubeControl.url`. */
  readonly thinkubeControlUrl?: string;
  /** Timeout of the thinkube-control request. */
  readonly timeoutMs?: number;
}

/** Runs the checks of the spec's deploy step that apply to the config (in parallel) and returns their results in a fixed order. */
export async function preflight(kube: KubeConfig, config: Config, options: PreflightOptions = {}): Promise<CheckResult[]> {
  // Only the deliveries and TLS modes that need them: cert-manager or a Gateway makes the certificate after
  // the apply, and only delivery helmChart relies on the cluster's own HelmChart CRD.
  const tlsSecret = config.tls.mode === 'copyWildcard' || config.tls.mode === 'existingSecret' ? [tlsSecretCheck(kube, config)] : [];
  const helmChartCrd = config.delivery === 'helmChart' ? [helmChartCrdCheck(kube)] : [];
  return Promise.all([
    oidcSecretCheck(kube, config),
    ...tlsSecret,
    ...helmChartCrd,
    storageClassCheck(kube, config),
    claimVolumesCheck(kube, config),
    duplicateIngressCheck(kube, config),
    thinkubeControlCheck(options.thinkubeControlUrl ?? config.thinkubeControl.url, options.timeoutMs ?? DEFAULT_PREFLIGHT_TIMEOUT_SECONDS * 1000),
  ].map((check) => check()));
}

function label(result: CheckResult): string {
  if (!result.ok) return 'FAIL';
  return result.warning ? 'WARN' : 'ok  ';
}

/** One line per check. */
export function formatResults(results: readonly CheckResult[]): string {
  return results.map((r) => `${label(r)} ${r.name}: ${r.detail}`).join('\n');
}
