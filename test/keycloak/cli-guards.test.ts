import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { checkManifestPath } from '../../lib/bootstrap/cluster/manifest-file.js';
import { StreamReporter } from '../../lib/bootstrap/reporter.js';
import { runInProcess } from './run-cli.js';

const cwd = mkdtempSync(join(tmpdir(), 'cli-guards-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('checkManifestPath', () => {
  it('refuses dist/ and anything inside it, also through a symbolic link', () => {
    expect(() => checkManifestPath('dist/oidc.yaml', cwd)).toThrow('--write-manifest dist/oidc.yaml is inside dist/');
    expect(() => checkManifestPath(join(cwd, 'dist', 'deep', 'x.yaml'), cwd)).toThrow('is inside dist/');
    mkdirSync(join(cwd, 'dist'));
    symlinkSync(join(cwd, 'dist'), join(cwd, 'out-link'));
    expect(() => checkManifestPath('out-link/oidc.yaml', cwd)).toThrow('is inside dist/');
  });

  it('accepts a path beside dist/', () => {
    expect(checkManifestPath('secrets/oidc.yaml', cwd)).toBe(join(cwd, 'secrets', 'oidc.yaml'));
    expect(checkManifestPath('distribution.yaml', cwd)).toBe(join(cwd, 'distribution.yaml'));
  });
});

describe('StreamReporter', () => {
  it('masks every registered secret in steps and warnings', () => {
    let text = '';
    const sink = new Writable({ write(chunk: Buffer, _e, done) { text += chunk.toString(); done(); } });
    const reporter = new StreamReporter(sink, sink);
    reporter.addSecret('s3cr3t-value');
    reporter.step('echo s3cr3t-value', 'got s3cr3t-value back');
    reporter.warn('leaked s3cr3t-value');
    expect(text).toBe('echo ***: got *** back\nWARNING: leaked ***\n');
  });
});

describe('thinkube-jupyterhub CLI', () => {
  it('lists its commands and rejects an unknown one (exit 2)', async () => {
    const help = await runInProcess(['--help'], {}, cwd);
    expect(help.stdout).toContain('bootstrap-keycloak  reconcile the hub\'s Keycloak OIDC client');
    expect(help.code).toBe(0);
    const unknown = await runInProcess(['deploy-everything'], {}, cwd);
    expect(unknown.stderr).toContain('unknown command "deploy-everything"');
    expect(unknown.code).toBe(2);
  });

  it('reports usage and configuration errors with exit 2', async () => {
    const flag = await runInProcess(['bootstrap-keycloak', '--no-such-flag'], {}, cwd);
    expect(flag.stderr).toContain("Unknown option '--no-such-flag'");
    expect(flag.code).toBe(2);
    const config = await runInProcess(['bootstrap-keycloak'], { ADMIN_PASSWORD: 'irrelevant', KEYCLOAK_URL: 'not a url' }, cwd);
    expect(config.stderr).toContain('keycloak.url: "not a url" is not an http(s) URL');
    expect(config.code).toBe(2);
    const timeout = await runInProcess(['bootstrap-keycloak', '--timeout', 'soon'], { ADMIN_PASSWORD: 'irrelevant' }, cwd);
    expect(timeout.stderr).toContain('--timeout "soon" is not a number of seconds');
    expect(timeout.code).toBe(2);
  });

  it('loads the kubeconfig the same way in preflight, bootstrap-keycloak and teardown (exit 6 when unreadable)', async () => {
    const missing = join(cwd, 'no-such-kubeconfig');
    const flag = await runInProcess(['preflight', '--kubeconfig', missing], {}, cwd);
    const env = await runInProcess(['preflight'], { KUBECONFIG: missing }, cwd);
    const teardown = await runInProcess(['teardown', '--dry-run'], { KUBECONFIG: missing }, cwd);
    for (const run of [flag, env, teardown]) {
      expect(run.stderr).toContain(`cannot load the kubeconfig ${missing}`);
      expect(run.code).toBe(6);
    }
  });
});
