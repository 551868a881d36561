import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../lib/index.js';
import { problemsOf } from '../support/config-problems.js';

describe('resolveConfig defaults', () => {
  it('reproduces the Thinkube example inventory', () => {
    const config = resolveConfig({});
    expect(config).toMatchObject({
      namespace: 'jupyterhub',
      hostname: 'jupyter.example.com',
      hubUrl: 'https://jupyter.example.com',
      adminUsers: ['admin'],
      chart: { version: '4.4.0', releaseName: 'jupyterhub', repo: 'https://hub.jupyter.org/helm-chart/' },
      keycloak: { url: 'https://keycloak.example.com', realm: 'thinkube', clientId: 'jupyterhub', logoutRedirectUrl: 'https://control.example.com' },
      harbor: { registry: 'harbor.example.com', project: 'library' },
      storage: {
        storageClassName: 'juicefs-rwx', notebooksCapacity: '100Gi', datasetsCapacity: '500Gi',
        modelsCapacity: '200Gi', scratchCapacity: '100Gi', examplesCapacity: '1Gi',
      },
      resources: { cpuLimit: 4, cpuGuarantee: 1, memoryLimitGi: 8, memoryGuaranteeGi: 2 },
      spawner: { startTimeoutSeconds: 120, httpTimeoutSeconds: 60, deleteGracePeriodSeconds: 1, concurrentSpawnLimit: 100 },
      thinkubeControl: { url: 'http://backend.thinkube-control.svc.cluster.local:8000/api/v1' },
      tls: { sourceSecretName: 'example-com-tls', sourceNamespace: 'default' },
      discovery: { secretAllowList: [] },
    });
  });

  it('derives every host from domainName', () => {
    const config = resolveConfig({ domainName: 'lab.thinkube.org' });
    expect(config.hostname).toBe('jupyter.lab.thinkube.org');
    expect(config.keycloak.url).toBe('https://keycloak.lab.thinkube.org');
    expect(config.harbor.registry).toBe('harbor.lab.thinkube.org');
    expect(config.keycloak.logoutRedirectUrl).toBe('https://control.lab.thinkube.org');
    expect(config.tls.sourceSecretName).toBe('lab-thinkube-org-tls');
  });

  it('uses the Keycloak admin as hub admin unless adminUsers is given', () => {
    expect(resolveConfig({ keycloak: { adminUsername: 'root' } }).adminUsers).toEqual(['root']);
    expect(resolveConfig({ keycloak: { adminUsername: 'root' }, adminUsers: ['ana', 'bo'] }).adminUsers).toEqual(['ana', 'bo']);
  });

  it('turns the groups claim on whenever groups decide login or admin rights', () => {
    expect(resolveConfig({}).keycloak.groupsClaim).toEqual({ enabled: false, name: 'groups' });
    expect(resolveConfig({ keycloak: { allowedGroups: ['lab'] } }).keycloak.groupsClaim.enabled).toBe(true);
    expect(resolveConfig({ keycloak: { adminGroups: ['admins'], groupsClaim: { name: 'roles' } } }).keycloak.groupsClaim)
      .toEqual({ enabled: true, name: 'roles' });
    expect(resolveConfig({ keycloak: { groupsClaim: { enabled: true } } }).keycloak.groupsClaim.enabled).toBe(true);
  });

  it('adds image families to the Thinkube defaults', () => {
    const config = resolveConfig({ images: { notebook: ['my-lab'], families: { 'my-lab': 'thinkube', 'tk-jupyter-scipy': 'thinkube' } } });
    expect(config.images.families).toMatchObject({ 'my-lab': 'thinkube', 'tk-jupyter-scipy': 'thinkube', 'tk-jupyter-ml-gpu': 'thinkube' });
  });

  it('strips trailing slashes from URLs', () => {
    const config = resolveConfig({ hubUrl: 'http://127.0.0.1:8000/', keycloak: { url: 'http://127.0.0.1:8080/' } });
    expect(config.hubUrl).toBe('http://127.0.0.1:8000');
    expect(config.keycloak.url).toBe('http://127.0.0.1:8080');
  });
});

describe('resolveConfig errors', () => {
  it.each([
    [{ hostname: 'Jupyter_Example' }, 'hostname: "Jupyter_Example" is not a DNS name: use lowercase letters, digits, \'-\' and \'.\''],
    [{ namespace: 'Hub' }, 'namespace: "Hub" is not a DNS label: use lowercase letters, digits and \'-\', starting and ending with a letter or digit'],
    [{ domainName: 'example..com' }, 'domainName: "example..com" is not a DNS name'],
    [{ hubUrl: 'jupyter.example.com' }, 'hubUrl: "jupyter.example.com" is not an http(s) URL: use e.g. \'https://keycloak.example.com\''],
    [{ keycloak: { url: 'ftp://kc' } }, 'keycloak.url: "ftp://kc" is not an http(s) URL'],
    [{ keycloak: { realm: 'my realm' } }, 'keycloak.realm: "my realm" is not a realm name: use letters, digits, \'_\', \'.\' and \'-\''],
    [{ keycloak: { clientId: 'a b' } }, 'keycloak.clientId: "a b" is not a client id'],
    [{ chart: { version: 'latest' } }, 'chart.version: "latest" is not a chart version: use semver such as \'4.4.0\''],
    [{ storage: { datasetsCapacity: 'lots' } }, 'storage.datasetsCapacity: "lots" is not a Kubernetes quantity: use a number with an optional unit such as \'100Gi\' or \'500Mi\''],
    [{ resources: { cpuLimit: 0 } }, 'resources.cpuLimit: 0 must be greater than 0'],
    [{ resources: { gpuLimit: 1.5 } }, 'resources.gpuLimit: 1.5 must be a whole number'],
    [{ resources: { memoryLimitGi: '8Gi' } }, 'resources.memoryLimitGi: "8Gi" must be a number'],
    [{ adminUsers: [] }, 'adminUsers: [] must list at least one admin'],
    [{ adminUsers: ['a b'] }, 'adminUsers[0]: "a b" is not a username: no spaces or \'/\''],
    [{ images: { notebook: [] } }, 'images.notebook: [] must list at least one image'],
    [{ images: { serviceDiscovery: 'Bad Image' } }, 'images.serviceDiscovery: "Bad Image" is not an image reference: use \'registry/name:tag\''],
    [{ spawner: { defaultUrl: 'lab' } }, 'spawner.defaultUrl: "lab" must start with \'/\''],
    [{ discovery: { secretAllowList: [{ namespace: 'Gitea', name: 'token' }] } }, 'discovery.secretAllowList[0].namespace: "Gitea" is not a DNS label'],
    [{ hostnme: 'typo.example.com' }, 'hostnme: "typo.example.com" is not a known field: check the spelling against docs/configuration.md'],
    [{ storage: { notebookCapacity: '1Gi' } }, 'storage.notebookCapacity: "1Gi" is not a known field'],
    [{ resources: { cpuGuarantee: 8 } }, 'resources.cpuGuarantee: 8 must not exceed resources.cpuLimit (4)'],
    [{ resources: { memoryGuaranteeGi: 16 } }, 'resources.memoryGuaranteeGi: 16 must not exceed resources.memoryLimitGi (8)'],
    [{ resources: { minMemoryGi: 9 } }, 'resources.minMemoryGi: 9 must not exceed resources.memoryLimitGi (8)'],
    [{ keycloak: { allowedGroups: ['lab'], groupsClaim: { enabled: false } } },
      'keycloak.groupsClaim.enabled: false must be true while keycloak.allowedGroups or keycloak.adminGroups is set'],
    [{ keycloak: { adminGroups: ['lab'], groupsClaim: { enabled: false } } }, 'keycloak.groupsClaim.enabled: false must be true'],
    [{ images: { notebook: ['tk-jupyter-ml-gpu', 'my-lab'] } },
      'images.notebook[1]: "my-lab" has no start family: add it to images.families as \'docker-stacks\' or \'thinkube\''],
    [{ images: { families: { 'my-lab': 'ubuntu' } } }, 'images.families.my-lab: "ubuntu" is not a start family: use docker-stacks or thinkube'],
    [{ networkPolicy: { apiServer: { cidrs: ['192.168.1.10'] } } },
      'networkPolicy.apiServer.cidrs[0]: "192.168.1.10" is not an IPv4 CIDR: use an address and a prefix length with the host bits zero'],
    [{ networkPolicy: { apiServer: { cidrs: ['192.168.1.10/24'] } } }, 'networkPolicy.apiServer.cidrs[0]: "192.168.1.10/24" is not an IPv4 CIDR'],
    [{ networkPolicy: { apiServer: { cidrs: ['256.0.0.0/8'] } } }, 'networkPolicy.apiServer.cidrs[0]: "256.0.0.0/8" is not an IPv4 CIDR'],
    [{ networkPolicy: { apiServer: { cidrs: [] } } }, 'networkPolicy.apiServer.cidrs: [] must list at least one CIDR (the API server endpoints)'],
    [{ networkPolicy: { apiServer: { cidrs: ['0.0.0.0/0'] } } },
      'networkPolicy.apiServer.cidrs[0]: "0.0.0.0/0" includes the cloud metadata address 169.254.169.254: list only the API server\'s addresses'],
    [{ networkPolicy: { apiServer: { cidrs: ['169.254.0.0/16'] } } }, 'networkPolicy.apiServer.cidrs[0]: "169.254.0.0/16" includes the cloud metadata address'],
    [{ networkPolicy: { apiServer: { port: 70000 } } }, 'networkPolicy.apiServer.port: 70000 is not a port: use 1 to 65535'],
    [{ networkPolicy: { serviceNamespaces: ['Gitea'] } }, 'networkPolicy.serviceNamespaces[0]: "Gitea" is not a DNS label'],
    [{ networkPolicy: { serviceNamespaces: ['gitea', 'jupyterhub'] } },
      'networkPolicy.serviceNamespaces[1]: "jupyterhub" is the hub\'s own namespace: notebooks would reach the proxy\'s API'],
    [{ networkPolicy: { ingressControllerNamespace: 'jupyterhub' } },
      'networkPolicy.ingressControllerNamespace: "jupyterhub" is the hub\'s own namespace'],
  ])('%j → %s', (input, expected) => {
    expect(problemsOf(input).join('\n')).toContain(`- ${expected}`);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({ hostname: 'A', namespace: 'B', storage: { modelsCapacity: 'x' }, extra: 1 });
    expect(problems).toHaveLength(4);
    expect(() => resolveConfig({ hostname: 'A', namespace: 'B' })).toThrow('invalid configuration (2 problems):');
  });
});
