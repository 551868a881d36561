/**
 * The Thinkube JupyterHub setup as the original Ansible installer deployed it
 * (inventory example values and the spec's settings). Every default in the
 * config schema and in the constructs' props comes from here.
 */
export const DEFAULTS = {
  domainName: 'example.com',
  namespace: 'jupyterhub',
  hostnamePrefix: 'jupyter',
  adminUsers: ['admin'],
  chart: {
    repo: 'https://hub.jupyter.org/helm-chart/',
    name: 'jupyterhub',
    version: '4.4.0',
    releaseName: 'jupyterhub',
    helmChartNamespace: 'kube-system',
  },
  keycloak: {
    hostnamePrefix: 'keycloak',
    realm: 'thinkube',
    clientId: 'jupyterhub',
    adminUsername: 'admin',
    oidcSecretName: 'jupyterhub-oidc-secret',
    usernameClaim: 'preferred_username',
    scopes: ['openid', 'profile', 'email'],
    allowedGroups: [],
    adminGroups: [],
    groupsClaimName: 'groups',
    logoutRedirectHostnamePrefix: 'control',
  },
  harbor: {
    hostnamePrefix: 'harbor',
    project: 'library',
  },
  storage: {
    storageClassName: 'juicefs-rwx',
    notebooksCapacity: '100Gi',
    datasetsCapacity: '500Gi',
    modelsCapacity: '200Gi',
    scratchCapacity: '100Gi',
    examplesCapacity: '1Gi',
    // Personal workspaces; true restores the playbook's one shared folder.
    sharedNotebooks: false,
  },
  images: {
    tag: 'latest',
    notebook: ['tk-jupyter-scipy', 'tk-jupyter-ml-cpu', 'tk-jupyter-ml-gpu'],
    // How each Thinkube image starts (lib/values/notebook-start.ts): scipy is
    // built on jupyter/scipy-notebook, the others on tk-jupyter-ml-gpu's
    // Ubuntu base with startup.sh as ENTRYPOINT.
    families: {
      'tk-jupyter-scipy': 'docker-stacks',
      'tk-jupyter-ml-cpu': 'thinkube',
      'tk-jupyter-ml-gpu': 'thinkube',
      'tk-jupyter-agent-dev': 'thinkube',
      'tk-jupyter-fine-tuning': 'thinkube',
    },
    serviceDiscovery: 'tk-service-discovery',
    fixPermissions: 'busybox:1.37',
    cloneExamples: 'alpine/git:2.49.1',
  },
  resources: {
    cpuLimit: 4,
    cpuGuarantee: 1,
    memoryLimitGi: 8,
    memoryGuaranteeGi: 2,
    minMemoryGi: 2,
    gpuLimit: 0,
  },
  spawner: {
    defaultUrl: '/lab/tree/thinkube/notebooks',
    startTimeoutSeconds: 120,
    httpTimeoutSeconds: 60,
    deleteGracePeriodSeconds: 1,
    concurrentSpawnLimit: 100,
  },
  thinkubeControl: {
    url: 'http://backend.thinkube-control.svc.cluster.local:8000/api/v1',
    timeoutSeconds: 2,
    cacheTtlSeconds: 60,
  },
  examples: {
    enabled: true,
    repository: 'https://github.com/thinkube/thinkube-ai-examples.git',
  },
  discovery: {
    secretAllowList: [],
    // Props of DiscoveryRbacConstruct, not config fields.
    serviceAccountName: 'jupyter-service-discovery',
    clusterRoleName: 'jupyter-configmap-reader',
  },
  delivery: 'helmChart',
  routing: 'ingress',
  ingress: {
    className: 'nginx',
    tlsSecretName: 'jupyterhub-tls-secret',
    annotations: {},
  },
  tls: {
    issuerKind: 'ClusterIssuer',
    copyWildcardCertificate: true,
    sourceNamespace: 'default',
  },
  culling: {
    enabled: true,
    timeoutSeconds: 3600,
    everySeconds: 600,
  },
  // On, unlike the playbook (which left every pod reachable from notebooks):
  // `enabled: false` restores that. Allow-lists in lib/values/network-policy.ts.
  networkPolicy: {
    enabled: true,
    serviceNamespaces: [],
    ingressControllerNamespace: 'ingress-nginx',
    // Wherever a home lab's API server endpoints are (k3s: each server node on
    // 6443); narrow to the addresses of `kubectl get endpoints kubernetes`.
    apiServer: { cidrs: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'], port: 6443 },
    // The pod networks of k3s and Canonical Kubernetes: cut out of the API server
    // rule, so that it never opens another pod's port 6443.
    podCidrs: ['10.42.0.0/16', '10.1.0.0/16'],
  },
  anthropicApiKey: {
    secretName: 'anthropic-api-key',
    secretKey: 'api-key',
  },
  branding: {
    announcement: "Welcome to Thinkube AI Lab - Thinkube's intelligent notebook laboratory",
  },
  extraValues: {},
} as const;

/**
 * The defaults of the command-line tools' options (`--timeout`, the config
 * file), beside the configuration's: each usage text prints them from here.
 */
export const TOOL_DEFAULTS = {
  /** The config file read from the working directory when THINKUBE_JH_CONFIG is unset. */
  configFile: 'jupyterhub.config.yaml',
  /** bootstrap-keycloak --timeout: per request towards Keycloak and the cluster. */
  requestTimeoutSeconds: 10,
  /** bootstrap-keycloak refuses a longer --timeout: a request timer overflows or a run waits for hours, surely a typo. */
  maxRequestTimeoutSeconds: 600,
  /** preflight --timeout: the thinkube-control request. */
  preflightTimeoutSeconds: 5,
  /** teardown --timeout: the wait for the release uninstall and the namespace. */
  teardownTimeoutSeconds: 300,
} as const;
