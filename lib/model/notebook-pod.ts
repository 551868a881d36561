import type { Volume, VolumeMount } from './kubernetes-types.js';

/**
 * Facts about the notebook pod that both the constructs (which create the
 * claims and the discovery identity) and the values builders (which write the
 * pod into the Z2JH values) need. They live here, below both, so that
 * `lib/values` never imports `lib/constructs`.
 */

/** Where the notebook container sees each volume; never `/home/jovyan` itself (it would hide the image's ~/.local). */
export const MOUNT_PATHS = {
  notebooks: '/home/jovyan/thinkube/notebooks',
  datasets: '/home/jovyan/thinkube/datasets',
  models: '/home/jovyan/thinkube/models',
  scratch: '/home/jovyan/scratch',
  examples: '/home/jovyan/thinkube/examples-repo',
  serviceEnv: '/home/jovyan/.config/thinkube',
} as const;

export type SharedVolume = 'notebooks' | 'datasets' | 'models';

/** The folder of the notebooks claim holding one workspace per user (the playbook's shared files stay at the root). */
export const WORKSPACES_FOLDER = 'users';

/** What the notebook pod needs from its storage (a `StorageConstruct` is one). */
export interface NotebookStorage {
  /** Volumes for the notebook pod. */
  readonly volumes: readonly Volume[];
  /** Mounts for the notebook container. */
  readonly volumeMounts: readonly VolumeMount[];
  /** Volume name of the emptyDir the examples are cloned into. */
  readonly examplesVolumeName: string;
  /** Volume name of the emptyDir holding the generated service-env.sh. */
  readonly serviceEnvVolumeName: string;
  /** The per-user folder of the notebooks claim (a KubeSpawner template), or undefined when the claim is shared whole. */
  readonly notebooksSubPath: string | undefined;
}

/** What the service-discovery init container needs from its identity (a `DiscoveryRbacConstruct` is one). */
export interface DiscoveryIdentity {
  /** The ServiceAccount the init container's token belongs to. */
  readonly serviceAccountName: string;
  /** Name of the ConfigMap holding the init script under `scriptFileName`. */
  readonly scriptConfigMapName: string;
  /** Key of the script in that ConfigMap. */
  readonly scriptFileName: string;
  /** The Secrets that identity may read (`discovery.secretAllowList` and what was added since); notebooks may reach their namespaces. */
  readonly secretAllowList: readonly { readonly namespace: string; readonly name: string }[];
}
