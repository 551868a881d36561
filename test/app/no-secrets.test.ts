import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runSynth } from '../support/run-synth.js';

const SENTINELS = {
  ADMIN_PASSWORD: 'admin-password-sentinel-7f3a',
  OAUTH_CLIENT_SECRET: 'client-secret-sentinel-91bc',
  KC_BOOTSTRAP_ADMIN_PASSWORD: 'bootstrap-sentinel-22d0',
};

describe('no secret material reaches dist/', () => {
  const run = runSynth({ env: SENTINELS });
  const output = Object.values(run.files).join('\n');

  it('synthesized', () => {
    expect(run.status, run.stderr).toBe(0);
    expect(output.length).toBeGreaterThan(1000);
  });

  it('contains none of the secrets in the environment, in files or logs', () => {
    for (const value of Object.values(SENTINELS)) {
      expect(output).not.toContain(value);
      expect(run.stdout + run.stderr).not.toContain(value);
    }
  });

  it('has no Secret objects, no private keys and no inline client secret', () => {
    const docs = parseAllDocuments(output).map((d) => d.toJS());
    expect(docs.filter((d) => d.kind === 'Secret')).toEqual([]);
    expect(output).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY/);
    expect(output).not.toMatch(/client_secret:\s*["']?[^\s"'{]/);
    expect(output).not.toMatch(/(cookie_secret|api_token|password):\s*\S/);
  });
});
