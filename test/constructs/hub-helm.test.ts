import { readFileSync, readdirSync } from 'node:fs';
import { ApiObject } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  type Config, DiscoveryRbacConstruct, HubHelmConstruct, StorageConstruct, escapeBraces, notebookStart, notebookStartValues,
  resolveConfig,
} from '../../lib/index.js';
import { THINKUBE_CONTROL_PATHS } from '../../lib/model/thinkube-control.js';
import { customConfig, exampleConfig } from '../support/configs.js';
import { find, synthChart, valuesOf } from '../support/synth.js';
import { summarizeHubPython } from '../support/values-snapshot.js';

function synthHub(config: Config) {
  let hub!: HubHelmConstruct;
  const manifests = synthChart((chart) => {
    const storage = new StorageConstruct(chart, 'storage', { config });
    const discovery = new DiscoveryRbacConstruct(chart, 'discovery', { config });
    hub = new HubHelmConstruct(chart, 'hub', { config, storage, discovery });
  });
  const helmChart: any = find(manifests, 'HelmChart');
  return { hub, helmChart, values: valuesOf(manifests) };
}

const asset = (path: string) => readFileSync(new URL(`../../lib/${path}`, import.meta.url), 'utf8');

describe('HubHelmConstruct: the HelmChart', () => {
  it('defaults snapshot', () => {
    const { helmChart, values } = synthHub(exampleConfig);
    expect({ ...helmChart, spec: { ...helmChart.spec, valuesContent: summarizeHubPython(values) } }).toMatchSnapshot();
  });

  it('custom snapshot', () => {
    const { helmChart, values } = synthHub(customConfig);
    expect({ ...helmChart, spec: { ...helmChart.spec, valuesContent: summarizeHubPython(values) } }).toMatchSnapshot();
  });

  it('installs the Z2JH chart into the hub namespace and never uninstalls on a failed upgrade', () => {
    const { helmChart, hub } = synthHub(exampleConfig);
    expect(helmChart.apiVersion).toBe('helm.cattle.io/v1');
    expect(helmChart.metadata).toEqual({ name: 'jupyterhub', namespace: 'kube-system' });
    expect(helmChart.spec).toMatchObject({
      repo: 'https://hub.jupyter.org/helm-chart/', chart: 'jupyterhub', version: '4.4.0',
      targetNamespace: 'jupyterhub', failurePolicy: 'abort',
    });
    expect(hub.releaseName).toBe('jupyterhub');
    expect(hub.proxyServiceName).toBe('proxy-public');
    expect(ApiObject.of(hub)).toBe(hub.helmChart);
  });

  it('keeps helm from reading yes/true strings as booleans', () => {
    const { helmChart } = synthHub(exampleConfig);
    expect(helmChart.spec.valuesContent).toContain('GRANT_SUDO: "yes"');
    expect(helmChart.spec.valuesContent).toContain('JUPYTER_ENABLE_LAB: "yes"');
    expect(helmChart.spec.valuesContent).not.toMatch(/[&*]a\d/);
  });
});

describe('HubHelmConstruct: hub and authentication values', () => {
  it('sets the spec hub settings', () => {
    const { values } = synthHub(exampleConfig);
    expect(values.hub).toMatchObject({ baseUrl: '/', concurrentSpawnLimit: 100, shutdownOnLogout: true, allowNamedServers: false });
    expect(values.proxy.service.type).toBe('ClusterIP');
    expect(values.cull).toEqual({ enabled: true, timeout: 3600, every: 600 });
    expect(values.hub.networkPolicy.enabled).toBe(true);
    expect(values.proxy.chp.networkPolicy.enabled).toBe(true);
    expect(values.singleuser.networkPolicy.enabled).toBe(true);
  });

  it('authenticates with Keycloak through GenericOAuthenticator', () => {
    const { values } = synthHub(exampleConfig);
    const realm = 'https://keycloak.example.com/realms/thinkube/protocol/openid-connect';
    expect(values.hub.config.JupyterHub.authenticator_class).toBe('generic-oauth');
    expect(values.hub.config.GenericOAuthenticator).toEqual({
      client_id: 'jupyterhub',
      oauth_callback_url: 'https://jupyter.example.com/hub/oauth_callback',
      authorize_url: `${realm}/auth`,
      token_url: `${realm}/token`,
      userdata_url: `${realm}/userinfo`,
      logout_redirect_url: `${realm}/logout?post_logout_redirect_uri=https%3A%2F%2Fcontrol.example.com&client_id=jupyterhub`,
      login_service: 'Keycloak',
      username_claim: 'preferred_username',
      scope: ['openid', 'profile', 'email'],
    });
    expect(values.hub.config.Authenticator).toEqual({ admin_users: ['admin'], allow_all: true });
  });

  it('uses a logout URL Keycloak 18+ accepts (no redirect_uri parameter)', () => {
    const { values } = synthHub(exampleConfig);
    const logout = new URL(values.hub.config.GenericOAuthenticator.logout_redirect_url);
    expect(logout.searchParams.get('post_logout_redirect_uri')).toBe('https://control.example.com');
    expect(logout.searchParams.get('client_id')).toBe('jupyterhub');
    expect(logout.searchParams.has('redirect_uri')).toBe(false);
  });

  it('restricts to Keycloak groups when configured, with the groups OAuthenticator 17 manages', () => {
    const { values } = synthHub(customConfig);
    expect(values.hub.config.Authenticator).toEqual({ admin_users: ['ana', 'bo'] });
    expect(values.hub.config.GenericOAuthenticator).toMatchObject({
      manage_groups: true,
      auth_state_groups_key: 'oauth_user.groups',
      allowed_groups: ['researchers'],
      authorize_url: 'https://keycloak.lab.acme.io/realms/acme/protocol/openid-connect/auth',
    });
    expect(values.hub.config.GenericOAuthenticator).not.toHaveProperty('admin_groups');
  });

  it('makes admin-group members admins and keeps login open without allowedGroups', () => {
    const { values } = synthHub(resolveConfig({ keycloak: { adminGroups: ['lab-admins'], groupsClaim: { name: 'roles' } } }));
    expect(values.hub.config.Authenticator).toEqual({ admin_users: ['admin'], allow_all: true });
    expect(values.hub.config.GenericOAuthenticator).toMatchObject({
      manage_groups: true, auth_state_groups_key: 'oauth_user.roles', admin_groups: ['lab-admins'],
    });
    expect(values.hub.config.GenericOAuthenticator).not.toHaveProperty('allowed_groups');
  });

  it('passes the client secret only as a Secret reference', () => {
    const { values } = synthHub(exampleConfig);
    expect(values.hub.extraEnv.OAUTH_CLIENT_SECRET).toEqual({
      valueFrom: { secretKeyRef: { name: 'jupyterhub-oidc-secret', key: 'client_secret' } },
    });
    expect(stringify(values)).not.toMatch(/client_secret:/);
  });

  it('applies extraValues last, merged like helm', () => {
    const { values } = synthHub(customConfig);
    expect(values.hub.db).toEqual({ pvc: { annotations: { 'helm.sh/resource-policy': 'keep' }, storage: '5Gi' } });
    expect(values.prePuller).toEqual({ hook: { enabled: false }, continuous: { enabled: false } });
    expect(values.hub.config.JupyterHub.authenticator_class).toBe('generic-oauth');
  });
});

describe('HubHelmConstruct: the notebook pod', () => {
  it('runs the configured image with the spec resources', () => {
    const { values } = synthHub(exampleConfig);
    expect(values.singleuser.image).toEqual({ name: 'harbor.example.com/library/tk-jupyter-scipy', tag: 'latest' });
    expect(values.singleuser.cpu).toEqual({ limit: 4, guarantee: 1 });
    expect(values.singleuser.memory).toEqual({ limit: '8G', guarantee: '2G' });
    expect(values.singleuser.extraResource).toEqual({});
    expect(values.singleuser).toMatchObject({ defaultUrl: '/lab/tree/thinkube/notebooks', startTimeout: 120 });
    expect(values.hub.config.KubeSpawner).toEqual({ automount_service_account_token: false, http_timeout: 60, delete_grace_period: 1 });
  });

  it('mounts the storage construct volumes and no per-user home claim', () => {
    let storage!: StorageConstruct;
    const manifests = synthChart((chart) => {
      storage = new StorageConstruct(chart, 'storage');
      const discovery = new DiscoveryRbacConstruct(chart, 'discovery');
      new HubHelmConstruct(chart, 'hub', { storage, discovery });
    });
    const values = valuesOf(manifests);
    expect(values.singleuser.storage.type).toBe('none');
    expect(values.singleuser.storage.extraVolumeMounts).toEqual(storage.volumeMounts);
    for (const volume of storage.volumes) expect(values.singleuser.storage.extraVolumes).toContainEqual(volume);
  });

  it('gives the service-account token to the discovery init container only', () => {
    const { values } = synthHub(exampleConfig);
    const tokenPath = '/var/run/secrets/kubernetes.io/serviceaccount';
    expect(values.singleuser.serviceAccountName).toBe('jupyter-service-discovery');
    expect(values.hub.config.KubeSpawner.automount_service_account_token).toBe(false);
    expect(values.singleuser.storage.extraVolumeMounts.map((m: any) => m.mountPath)).not.toContain(tokenPath);
    const discovery = values.singleuser.initContainers.find((c: any) => c.name === 'service-discovery');
    expect(discovery.volumeMounts).toContainEqual({ name: 'discovery-token', mountPath: tokenPath, readOnly: true });
    const others = values.singleuser.initContainers.filter((c: any) => c.name !== 'service-discovery');
    expect(others.flatMap((c: any) => c.volumeMounts).map((m: any) => m.mountPath)).not.toContain(tokenPath);
    const token = values.singleuser.storage.extraVolumes.find((v: any) => v.name === 'discovery-token');
    expect(token.projected.sources[0]).toEqual({ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } });
  });

  it('has the three init containers of the spec, in order', () => {
    const { values } = synthHub(exampleConfig);
    expect(values.singleuser.initContainers.map((c: any) => [c.name, c.image])).toEqual([
      ['fix-permissions', 'busybox:1.37'],
      ['clone-examples', 'alpine/git:2.49.1'],
      ['service-discovery', 'harbor.example.com/library/tk-service-discovery:latest'],
    ]);
    const discovery = values.singleuser.initContainers[2];
    expect(discovery.command).toEqual(['bash', '/opt/thinkube/discovery/service-discovery-init.sh']);
    expect(discovery.env).toContainEqual({ name: 'THINKUBE_SERVICE_ENV_FILE', value: '/home/jovyan/.config/thinkube/service-env.sh' });
    expect(discovery.resources.limits.memory).toBe('256Mi');
    expect(values.singleuser.initContainers[0].env).toEqual([
      { name: 'SHARED_ROOT', value: '/mnt' },
      { name: 'NOTEBOOK_OWNER', value: '1000:100' },
      // Unescaped on purpose: KubeSpawner expands it to the user's folder, like the mount's subPath.
      { name: 'NOTEBOOK_WORKSPACE', value: 'users/{escaped_username}' },
    ]);
    // With the examples off the init container still leaves the folder Thinkube images need.
    const custom = synthHub(customConfig).values.singleuser.initContainers;
    expect(custom.map((c: any) => c.name)).toEqual(['fix-permissions', 'clone-examples', 'service-discovery']);
    expect(custom[1].env).toContainEqual({ name: 'EXAMPLES_REPOSITORY', value: '' });
    expect(values.singleuser.initContainers[1].env).toEqual([
      { name: 'EXAMPLES_REPOSITORY', value: 'https://github.com/thinkube/thinkube-ai-examples.git' },
      { name: 'EXAMPLES_DIR', value: '/examples' },
      { name: 'NOTEBOOK_OWNER', value: '1000:100' },
    ]);
  });

  it('sets the spec environment, with the Anthropic key optional', () => {
    const { values } = synthHub(exampleConfig);
    expect(values.singleuser.extraEnv).toEqual({
      NVIDIA_DRIVER_CAPABILITIES: 'compute,utility',
      JUPYTER_ENABLE_LAB: 'yes',
      GRANT_SUDO: 'yes',
      JUPYTER_LAB_ENABLE_COLLABORATION: 'true',
      THINKUBE_SERVICE_ENV_FILE: '/home/jovyan/.config/thinkube/service-env.sh',
      ANTHROPIC_API_KEY: { valueFrom: { secretKeyRef: { name: 'anthropic-api-key', key: 'api-key', optional: true } } },
    });
  });

  it('starts the default image as its family: docker-stacks start.sh as root for GRANT_SUDO', () => {
    const { values } = synthHub(exampleConfig);
    expect(values.singleuser).toMatchObject({ uid: 0, fsGid: 100, allowPrivilegeEscalation: true });
    expect(values.singleuser.cmd).toEqual(notebookStart('docker-stacks').cmd);
    expect(values.singleuser.cmd.slice(0, 3)).toEqual(['start.sh', 'bash', '-c']);
    expect(values.singleuser.cmd[3]).toContain('. "$THINKUBE_SERVICE_ENV_FILE"');
    expect(values.singleuser.cmd[3]).toContain('exec jupyterhub-singleuser "$@"');
  });

  it('starts a Thinkube default image as uid 1000 through its own entrypoint', () => {
    const { values } = synthHub(customConfig);
    expect(values.singleuser).toMatchObject({ uid: 1000, fsGid: 100, allowPrivilegeEscalation: false });
    expect(values.singleuser.cmd.slice(0, 2)).toEqual(['bash', '-c']);
    expect(values.singleuser.cmd[2]).toBe(notebookStart('docker-stacks').cmd[3]);
  });

  it('adds the service env and secrets to .bashrc on postStart', () => {
    const { values } = synthHub(exampleConfig);
    const script = values.singleuser.lifecycleHooks.postStart.exec.command[2];
    expect(script).toContain('/home/jovyan/.config/thinkube/service-env.sh');
    expect(script).toContain('/home/jovyan/.secrets.env');
  });

  it('asks for GPUs only when the config has a GPU default', () => {
    const { values } = synthHub({ ...exampleConfig, resources: { ...exampleConfig.resources, gpuLimit: 1 } });
    expect(values.singleuser.extraResource).toEqual({ limits: { 'nvidia.com/gpu': '1' } });
  });
});

describe('HubHelmConstruct: hub-side files', () => {
  it('ships every lib/hub/*.py as hub.extraConfig, keyed by file name', () => {
    const files = readdirSync(new URL('../../lib/hub', import.meta.url)).filter((f) => f.endsWith('.py')).sort();
    const { values } = synthHub(exampleConfig);
    expect(Object.keys(values.hub.extraConfig)).toEqual(files);
    for (const file of files) expect(values.hub.extraConfig[file]).toBe(asset(`hub/${file}`));
  });

  it('passes the hub Python its parameters under custom', () => {
    const { values } = synthHub(customConfig);
    expect(values.custom).toEqual({
      thinkubeControl: {
        url: 'http://backend.thinkube-control.svc.cluster.local:8000/api/v1',
        timeoutSeconds: 2,
        cacheTtlSeconds: 60,
        // The one definition preflight requests too.
        paths: THINKUBE_CONTROL_PATHS,
      },
      images: { registry: 'registry.acme.io', project: 'ml', tag: '2026.11', fallback: ['tk-jupyter-ml-cpu'] },
      resources: { cpuLimit: 2, cpuGuarantee: 0.5, memoryLimitGi: 4, memoryGuaranteeGi: 1, minMemoryGi: 1, gpuLimit: 0 },
      notebookStart: notebookStartValues(customConfig),
    });
    expect(values.custom.notebookStart.families['tk-jupyter-ml-cpu']).toBe('thinkube');
    expect(Object.keys(values.custom.notebookStart.starts)).toEqual(['docker-stacks', 'thinkube']);
  });

  it('carries every custom.* setting the hub Python reads, which it reads without fallbacks', () => {
    const hubFiles = readdirSync(new URL('../../lib/hub', import.meta.url)).filter((f) => f.endsWith('.py'));
    const source = hubFiles.map((file) => asset(`hub/${file}`)).join('\n');
    // One reader, thinkube_setting, with a literal key at every call.
    expect([...source.matchAll(/get_config\(/g)]).toHaveLength(1);
    expect(source).toContain('value = get_config(f"custom.{key}")');
    const calls = [...source.matchAll(/thinkube_setting\(/g)].length;
    const keys = [...source.matchAll(/thinkube_setting\("([\w.]+)"/g)].map((match) => match[1]);
    expect(keys.length).toBeGreaterThan(10);
    expect(keys).toHaveLength(calls - 1); // the definition
    for (const config of [exampleConfig, customConfig]) {
      const { values } = synthHub(config);
      for (const key of keys) {
        const value = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], values.custom);
        expect(value, `custom.${key}`).toBeDefined();
        expect(value, `custom.${key}`).not.toBeNull();
      }
    }
  });

  it('brands the hub with our logo, template, teal CSS and announcement', () => {
    const { values } = synthHub(exampleConfig);
    const files = values.hub.extraFiles;
    expect(files['thinkube-logo'].stringData).toBe(asset('branding/thinkube-ai-lab-logo.svg'));
    expect(files['thinkube-page-template']).toEqual({ mountPath: '/usr/local/share/jupyterhub/custom-templates/page.html', stringData: asset('branding/page.html') });
    expect(files['thinkube-css'].mountPath).toBe('/usr/local/share/jupyterhub/static/css/thinkube.css');
    for (const colour of ['--tk-teal: #006680', '--tk-teal-light: #008bad', '--tk-teal-dark: #004d5c']) {
      expect(files['thinkube-css'].stringData).toContain(colour);
    }
    expect(values.hub.templatePaths).toEqual(['/usr/local/share/jupyterhub/custom-templates']);
    expect(values.hub.templateVars.announcement).toBe("Welcome to Thinkube AI Lab - Thinkube's intelligent notebook laboratory");
    expect(values.hub.config.JupyterHub.logo_file).toBe(files['thinkube-logo'].mountPath);
  });
});

describe('escapeBraces', () => {
  it('doubles braces so that str.format gives the original back', () => {
    expect(escapeBraces('echo ${HOME} {x}')).toBe('echo ${{HOME}} {{x}}');
  });
});
