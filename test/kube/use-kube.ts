import { useStarted } from '../support/tier.js';
import { type KubeHarness, type StartKubeOptions, startKube } from './harness.js';

/** A control plane for the tests of one `describe` (gated with tierUnavailable); returns a getter. */
export function useKube(options: StartKubeOptions = {}): () => KubeHarness {
  return useStarted('kube', () => startKube(options));
}
