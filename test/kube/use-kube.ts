import { afterAll, beforeAll } from 'vitest';
import { type KubeHarness, type StartKubeOptions, startKube } from './harness.js';

/**
 * Vitest glue: call inside a `describe` (gated with tierUnavailable) to start
 * a control plane before its tests and stop it after; returns a getter.
 */
export function useKube(options: StartKubeOptions = {}): () => KubeHarness {
  let kube: KubeHarness | undefined;
  beforeAll(async () => {
    kube = await startKube(options);
  }, 300_000);
  afterAll(async () => {
    await kube?.stop();
  }, 60_000);
  return () => {
    if (kube === undefined) throw new Error('the kube harness is not running (tier unavailable?)');
    return kube;
  };
}
