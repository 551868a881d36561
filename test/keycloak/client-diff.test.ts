import { describe, expect, it } from 'vitest';
import { diffClient } from '../../lib/bootstrap/keycloak/client-diff.js';
import { desiredClient } from '../../lib/bootstrap/keycloak/desired-client.js';
import { postLogoutRedirectUris, resolveConfig } from '../../lib/config/index.js';

const config = resolveConfig({ domainName: 'example.com' });

describe('desiredClient', () => {
  it('is the spec\'s confidential client for the hub', () => {
    expect(desiredClient(config)).toMatchObject({
      clientId: 'jupyterhub',
      protocol: 'openid-connect',
      publicClient: false,
      standardFlowEnabled: true,
      directAccessGrantsEnabled: true,
      implicitFlowEnabled: false,
      serviceAccountsEnabled: false,
      fullScopeAllowed: true,
      redirectUris: ['https://jupyter.example.com/hub/oauth_callback'],
      webOrigins: ['https://jupyter.example.com'],
    });
  });

  it('allows the logout redirect the hub\'s logout URL names, and the hub', () => {
    expect(postLogoutRedirectUris(config)).toEqual(['https://control.example.com', 'https://jupyter.example.com', 'https://jupyter.example.com/*']);
    expect(desiredClient(config).attributes).toEqual({
      'post.logout.redirect.uris': 'https://control.example.com##https://jupyter.example.com##https://jupyter.example.com/*',
      'thinkube.io/managed-by': 'thinkube-jupyterhub-bootstrap',
    });
  });

  it('follows hubUrl (the e2e hub on 127.0.0.1)', () => {
    const local = resolveConfig({ hubUrl: 'http://127.0.0.1:8000/' });
    expect(desiredClient(local).redirectUris).toEqual(['http://127.0.0.1:8000/hub/oauth_callback']);
  });
});

describe('diffClient', () => {
  const desired = desiredClient(config);

  it('finds nothing to change when owned fields match, whatever the list order and other fields', () => {
    const current = {
      ...desired,
      id: 'uuid',
      description: 'by hand',
      redirectUris: [...(desired.redirectUris ?? [])].reverse(),
      attributes: {
        'post.logout.redirect.uris': 'https://jupyter.example.com/*##https://control.example.com##https://jupyter.example.com',
        'client.secret.creation.time': '1',
        'thinkube.io/managed-by': 'thinkube-jupyterhub-bootstrap',
      },
    };
    expect(diffClient(current, desired).changes).toEqual([]);
  });

  it('names each differing field and keeps fields it does not own in the merged representation', () => {
    const current = {
      ...desired,
      id: 'uuid',
      description: 'by hand',
      implicitFlowEnabled: true,
      webOrigins: ['*'],
      attributes: { 'client.secret.creation.time': '1' },
    };
    const { changes, merged } = diffClient(current, desired);
    expect(changes).toEqual(['implicitFlowEnabled', 'webOrigins', 'attributes.post.logout.redirect.uris', 'attributes.thinkube.io/managed-by']);
    expect(merged).toMatchObject({ id: 'uuid', description: 'by hand', implicitFlowEnabled: false, webOrigins: ['https://jupyter.example.com'] });
    expect(merged.attributes).toEqual({ 'client.secret.creation.time': '1', ...desired.attributes });
  });

  it('treats a missing field as different', () => {
    const { clientId, id } = { clientId: 'jupyterhub', id: 'uuid' };
    expect(diffClient({ clientId, id }, desired).changes).toContain('fullScopeAllowed');
  });
});
