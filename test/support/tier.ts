import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll } from 'vitest';

/**
 * Gate for a real-component test tier: outside CI a missing toolchain skips the
 * tier with a loud reason; under CI=true it fails the run instead.
 */
export function tierUnavailable(tier: string, reason: string | undefined): boolean {
  if (reason === undefined) return false;
  const message = `[${tier}] tier unavailable: ${reason}`;
  if (process.env.CI === 'true') {
    throw new Error(`${message} (CI=true: a missing toolchain is a failure)`);
  }
  console.warn(`\n*** SKIPPING ${message} ***\n`);
  return true;
}

const checked = new Map<string, string | undefined>();

/**
 * Why a tier's `<script> check` says it cannot run (its stderr), or undefined;
 * asked once per process.
 */
export function scriptCheckReason(script: string): string | undefined {
  if (!checked.has(script)) {
    try {
      execFileSync('bash', [script, 'check'], { stdio: ['ignore', 'ignore', 'pipe'] });
      checked.set(script, undefined);
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
      checked.set(script, stderr || `${script} check failed`);
    }
  }
  return checked.get(script);
}

/**
 * Vitest glue: inside a `describe` gated with tierUnavailable, starts a
 * component before its tests and stops it after; returns a getter.
 */
export function useStarted<T extends { stop(): Promise<void> }>(name: string, start: () => Promise<T | undefined>): () => T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  }, 300_000);
  // A node's stop (every pod's processes, cgroups, the namespace) takes over a
  // minute on a loaded machine; a hook that gave up early would leave it
  // running beside the next file's cluster.
  afterAll(async () => {
    await started?.stop();
  }, 300_000);
  return () => {
    if (started === undefined) throw new Error(`the ${name} harness is not running (tier unavailable?)`);
    return started;
  };
}
