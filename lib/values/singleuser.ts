import { readAsset } from '../assets.js';
import type { Config } from '../config/index.js';
import type { Container, EnvVar, Volume } from '../model/kubernetes-types.js';
import { type DiscoveryIdentity, MOUNT_PATHS, type NotebookStorage } from '../model/notebook-pod.js';
import { imageReference, splitImage } from './images.js';
import type { Values } from './merge.js';
import { JOVYAN_UID, SERVICE_ENV_VARIABLE, defaultImageStart } from './notebook-start.js';

const USERS_GID = 100;
const SERVICE_ENV_FILE = `${MOUNT_PATHS.serviceEnv}/service-env.sh`;
const TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const DISCOVERY_SCRIPT_DIR = '/opt/thinkube/discovery';
const DISCOVERY_TOKEN_VOLUME = 'discovery-token';
const DISCOVERY_SCRIPT_VOLUME = 'discovery-script';
const EXAMPLES_MOUNT = '/examples';
const SHARED_ROOT = '/mnt';
const NOTEBOOK_OWNER = `${JOVYAN_UID}:${USERS_GID}`;

/** KubeSpawner runs str.format over init containers: double the braces that must stay literal. */
export function escapeBraces(text: string): string {
  return text.replaceAll('{', '{{').replaceAll('}', '}}');
}

function shell(image: string, name: string, script: string, extra: Omit<Container, 'name' | 'image' | 'command'>): Container {
  return { name, image, command: ['sh', '-c', escapeBraces(script)], ...extra };
}

/**
 * Claim roots writable by jovyan, and the user's own workspace on the
 * notebooks claim (lib/notebook/fix-permissions.sh). NOTEBOOK_WORKSPACE is left
 * unescaped: KubeSpawner expands it to the user's folder.
 */
function fixPermissions(config: Config, storage: NotebookStorage): Container {
  const purposes = ['notebooks', 'datasets', 'models'] as const;
  return shell(config.images.fixPermissions, 'fix-permissions', readAsset('notebook/fix-permissions.sh'), {
    env: [
      { name: 'SHARED_ROOT', value: SHARED_ROOT },
      { name: 'NOTEBOOK_OWNER', value: NOTEBOOK_OWNER },
      ...(storage.notebooksSubPath === undefined ? [] : [{ name: 'NOTEBOOK_WORKSPACE', value: storage.notebooksSubPath }]),
    ],
    securityContext: { runAsUser: 0, runAsGroup: 0, allowPrivilegeEscalation: false },
    volumeMounts: purposes.map((purpose) => ({ name: purpose, mountPath: `${SHARED_ROOT}/${purpose}` })),
  });
}

/**
 * Always present: Thinkube images refuse to start without the examples
 * folder, so lib/notebook/clone-examples.sh leaves an empty one with a notice
 * when the clone fails or the examples are off.
 */
function cloneExamples(config: Config, storage: NotebookStorage): Container {
  const repository = config.examples.enabled ? config.examples.repository : '';
  return shell(config.images.cloneExamples, 'clone-examples', readAsset('notebook/clone-examples.sh'), {
    env: [
      { name: 'EXAMPLES_REPOSITORY', value: escapeBraces(repository) },
      { name: 'EXAMPLES_DIR', value: EXAMPLES_MOUNT },
      { name: 'NOTEBOOK_OWNER', value: NOTEBOOK_OWNER },
    ],
    securityContext: { runAsUser: 0, runAsGroup: 0, allowPrivilegeEscalation: false },
    volumeMounts: [{ name: storage.examplesVolumeName, mountPath: EXAMPLES_MOUNT }],
  });
}

function serviceDiscovery(config: Config, storage: NotebookStorage, discovery: DiscoveryIdentity): Container {
  return {
    name: 'service-discovery',
    image: imageReference(config, config.images.serviceDiscovery),
    command: ['bash', `${DISCOVERY_SCRIPT_DIR}/${discovery.scriptFileName}`],
    env: [
      { name: SERVICE_ENV_VARIABLE, value: SERVICE_ENV_FILE },
      { name: 'THINKUBE_DISCOVERY_SELECTOR', value: 'thinkube.io/managed=true' },
    ],
    securityContext: { runAsUser: JOVYAN_UID, runAsGroup: USERS_GID, allowPrivilegeEscalation: false },
    // Up to four kubectl processes (~47 MB each) read Secrets in parallel.
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
    volumeMounts: [
      { name: storage.serviceEnvVolumeName, mountPath: MOUNT_PATHS.serviceEnv },
      { name: DISCOVERY_SCRIPT_VOLUME, mountPath: DISCOVERY_SCRIPT_DIR, readOnly: true },
      { name: DISCOVERY_TOKEN_VOLUME, mountPath: TOKEN_PATH, readOnly: true },
    ],
  };
}

/** The token only the discovery init container mounts (the pod itself automounts none). */
function discoveryVolumes(discovery: DiscoveryIdentity): Volume[] {
  return [
    { name: DISCOVERY_SCRIPT_VOLUME, configMap: { name: discovery.scriptConfigMapName, defaultMode: 0o555 } },
    {
      name: DISCOVERY_TOKEN_VOLUME,
      projected: {
        defaultMode: 0o440,
        sources: [
          { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    },
  ];
}

function environment(config: Config): Record<string, string | Omit<EnvVar, 'name'>> {
  return {
    NVIDIA_DRIVER_CAPABILITIES: 'compute,utility',
    JUPYTER_ENABLE_LAB: 'yes',
    GRANT_SUDO: 'yes',
    JUPYTER_LAB_ENABLE_COLLABORATION: 'true',
    [SERVICE_ENV_VARIABLE]: SERVICE_ENV_FILE,
    ANTHROPIC_API_KEY: {
      valueFrom: {
        secretKeyRef: { name: config.anthropicApiKey.secretName, key: config.anthropicApiKey.secretKey, optional: true },
      },
    },
  };
}

const BASHRC_LINES = [
  `[ -f ${SERVICE_ENV_FILE} ] && . ${SERVICE_ENV_FILE}`,
  '[ -f /home/jovyan/.secrets.env ] && . /home/jovyan/.secrets.env',
];

/**
 * Adds the service env and thinkube-control API keys to terminals, once. The
 * hook runs as the container's user: root for docker-stacks images (hence the
 * chown), jovyan for Thinkube ones.
 */
function postStartScript(): string {
  return [
    'bashrc=/home/jovyan/.bashrc',
    'grep -qs "thinkube/service-env.sh" "$bashrc" ||',
    `  printf '%s\\n' ${BASHRC_LINES.map((line) => `'${line}'`).join(' ')} >> "$bashrc"`,
    `chown ${JOVYAN_UID}:${USERS_GID} "$bashrc" 2>/dev/null || true`,
  ].join('\n');
}

/** The notebook pod, in Z2JH `singleuser` keys (plus the KubeSpawner traits the chart has no key for). */
export function singleuserValues(config: Config, storage: NotebookStorage, discovery: DiscoveryIdentity): Values {
  const r = config.resources;
  // The chart's default image; the spawn form sets these per chosen image.
  const start = defaultImageStart(config);
  const initContainers = [
    fixPermissions(config, storage),
    cloneExamples(config, storage),
    serviceDiscovery(config, storage, discovery),
  ];
  return {
    singleuser: {
      image: splitImage(imageReference(config, config.images.notebook[0])),
      storage: {
        type: 'none',
        extraVolumes: [...storage.volumes, ...discoveryVolumes(discovery)],
        extraVolumeMounts: [...storage.volumeMounts],
      },
      serviceAccountName: discovery.serviceAccountName,
      initContainers,
      extraEnv: environment(config),
      lifecycleHooks: { postStart: { exec: { command: ['sh', '-c', postStartScript()] } } },
      cmd: [...start.cmd],
      defaultUrl: config.spawner.defaultUrl,
      startTimeout: config.spawner.startTimeoutSeconds,
      uid: start.uid,
      fsGid: USERS_GID,
      allowPrivilegeEscalation: start.allowPrivilegeEscalation,
      cpu: { limit: r.cpuLimit, guarantee: r.cpuGuarantee },
      memory: { limit: `${r.memoryLimitGi}G`, guarantee: `${r.memoryGuaranteeGi}G` },
      extraResource: r.gpuLimit > 0 ? { limits: { 'nvidia.com/gpu': String(r.gpuLimit) } } : {},
    },
    hub: {
      config: {
        KubeSpawner: {
          automount_service_account_token: false,
          http_timeout: config.spawner.httpTimeoutSeconds,
          delete_grace_period: config.spawner.deleteGracePeriodSeconds,
        },
      },
    },
  };
}
