import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_FILE_VARIABLE, ConfigError, loadConfig } from '../../lib/index.js';
import { tempDir } from '../support/temp-dir.js';

function dirWith(files: Record<string, string>): string {
  const dir = tempDir('tjh-config');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe('loadConfig', () => {
  it('uses the embedded example when there is no file and no override', () => {
    const { config, file } = loadConfig({}, dirWith({}));
    expect(file).toBeUndefined();
    expect(config.hostname).toBe('jupyter.example.com');
  });

  it('reads jupyterhub.config.yaml from the working directory', () => {
    const dir = dirWith({ 'jupyterhub.config.yaml': 'domainName: lab.example.org\nadminUsers: [ana, bo]\n' });
    const { config, file } = loadConfig({}, dir);
    expect(file).toBe(join(dir, 'jupyterhub.config.yaml'));
    expect(config.hostname).toBe('jupyter.lab.example.org');
    expect(config.adminUsers).toEqual(['ana', 'bo']);
  });

  it('prefers the file named by THINKUBE_JH_CONFIG', () => {
    const dir = dirWith({ 'jupyterhub.config.yaml': 'namespace: ignored\n', 'other.yaml': 'namespace: hub-two\n' });
    expect(loadConfig({ [CONFIG_FILE_VARIABLE]: 'other.yaml' }, dir).config.namespace).toBe('hub-two');
  });

  it('lets environment overrides win over the file', () => {
    const dir = dirWith({ 'jupyterhub.config.yaml': 'hostname: from-file.example.com\nkeycloak:\n  realm: file\n' });
    const { config } = loadConfig({ JUPYTERHUB_HOSTNAME: 'from-env.example.com', KEYCLOAK_REALM: 'env', KEYCLOAK_URL: 'https://sso.example.net', ADMIN_USERNAME: 'root' }, dir);
    expect(config.hostname).toBe('from-env.example.com');
    expect(config.keycloak.realm).toBe('env');
    expect(config.keycloak.url).toBe('https://sso.example.net');
    expect(config.adminUsers).toEqual(['root']);
  });

  it('names a missing config file', () => {
    expect(() => loadConfig({ [CONFIG_FILE_VARIABLE]: 'nope.yaml' }, dirWith({})))
      .toThrow('THINKUBE_JH_CONFIG: "nope.yaml" names a file that does not exist: fix the path or unset the variable');
  });

  it('rejects a file that is not YAML or not a mapping', () => {
    const dir = dirWith({ 'bad.yaml': 'a: [1, 2\n', 'list.yaml': '- 1\n' });
    expect(() => loadConfig({ [CONFIG_FILE_VARIABLE]: 'bad.yaml' }, dir)).toThrow('cannot be read as YAML');
    expect(() => loadConfig({ [CONFIG_FILE_VARIABLE]: 'list.yaml' }, dir)).toThrow('must hold a YAML mapping of config fields');
  });

  it('names the file in which the problems are', () => {
    const dir = dirWith({ 'jupyterhub.config.yaml': 'hostname: Bad_Host\n' });
    expect(() => loadConfig({}, dir)).toThrow(ConfigError);
    expect(() => loadConfig({}, dir)).toThrow(`invalid configuration in ${join(dir, 'jupyterhub.config.yaml')} (1 problem)`);
  });
});
