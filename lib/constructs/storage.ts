import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { Config } from '../config/index.js';
import type { Volume, VolumeMount } from '../model/kubernetes-types.js';
import { MOUNT_PATHS, type NotebookStorage, type SharedVolume, WORKSPACES_FOLDER } from '../model/notebook-pod.js';
import { composedConfig } from './compose.js';

export interface StorageProps {
  /**
   * The hub's configuration: namespace, storage class and capacities.
   * @default - the example configuration in the enclosing Chart's namespace
   */
  readonly config?: Config;
}

/**
 * The JuiceFS ReadWriteMany claims shared by every notebook pod, and the
 * volumes and mounts a notebook pod needs (claims plus scratch, examples and
 * service-env emptyDirs). Each user mounts only their own folder of the
 * notebooks claim (unless `storage.sharedNotebooks`); datasets and models are
 * shared whole.
 */
export class StorageConstruct extends Construct implements NotebookStorage {
  /** The configuration the claims were built with (what a construct built on this one inherits). */
  public readonly config: Config;
  /** Claim names by purpose. */
  public readonly claimNames: Readonly<Record<SharedVolume, string>>;
  /** The PersistentVolumeClaim objects by purpose (patch them with `addJsonPatch`). */
  public readonly claims: Readonly<Record<SharedVolume, ApiObject>>;
  /** Volume name of the scratch emptyDir. */
  public readonly scratchVolumeName = 'scratch';
  /** Volume name of the emptyDir the examples are cloned into. */
  public readonly examplesVolumeName = 'examples-repo';
  /** Volume name of the emptyDir holding the generated service-env.sh. */
  public readonly serviceEnvVolumeName = 'thinkube-config';
  /** Volumes for the notebook pod. */
  public readonly volumes: readonly Volume[];
  /** Mounts for the notebook container. */
  public readonly volumeMounts: readonly VolumeMount[];
  /**
   * The folder of the notebooks claim each user mounts as their workspace: a
   * KubeSpawner template, expanded per user (`{escaped_username}`: lowercase
   * letters, digits and `-`, one-to-one with the user name, the form KubeSpawner
   * keeps stable for claim names). Undefined with `storage.sharedNotebooks`.
   * @see https://github.com/jupyterhub/kubespawner/blob/main/kubespawner/slugs.py
   */
  public readonly notebooksSubPath: string | undefined;

  constructor(scope: Construct, id: string, props: StorageProps = {}) {
    super(scope, id);
    const config = composedConfig(this, 'StorageConstruct', props.config);
    this.config = config;
    const { storage, namespace } = config;
    const capacities: Record<SharedVolume, string> = {
      notebooks: storage.notebooksCapacity,
      datasets: storage.datasetsCapacity,
      models: storage.modelsCapacity,
    };
    const purposes = Object.keys(capacities) as SharedVolume[];
    const claimNames = {} as Record<SharedVolume, string>;
    const claims = {} as Record<SharedVolume, ApiObject>;
    for (const purpose of purposes) {
      claimNames[purpose] = `jupyterhub-${purpose}-pvc`;
      claims[purpose] = new k8s.KubePersistentVolumeClaim(this, purpose[0].toUpperCase() + purpose.slice(1), {
        metadata: { name: claimNames[purpose], namespace, labels: { 'app.kubernetes.io/part-of': 'thinkube-jupyterhub' } },
        spec: {
          accessModes: ['ReadWriteMany'],
          storageClassName: storage.storageClassName,
          resources: { requests: { storage: k8s.Quantity.fromString(capacities[purpose]) } },
        },
      });
    }
    this.claimNames = claimNames;
    this.claims = claims;
    this.volumes = [
      ...purposes.map((purpose) => ({ name: purpose, persistentVolumeClaim: { claimName: claimNames[purpose] } })),
      { name: this.scratchVolumeName, emptyDir: { sizeLimit: storage.scratchCapacity } },
      { name: this.examplesVolumeName, emptyDir: { sizeLimit: storage.examplesCapacity } },
      { name: this.serviceEnvVolumeName, emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
    ];
    this.notebooksSubPath = storage.sharedNotebooks ? undefined : `${WORKSPACES_FOLDER}/{escaped_username}`;
    const subPaths: Partial<Record<SharedVolume, string>> = { notebooks: this.notebooksSubPath };
    this.volumeMounts = [
      ...purposes.map((purpose) => ({
        name: purpose,
        mountPath: MOUNT_PATHS[purpose],
        ...(subPaths[purpose] === undefined ? {} : { subPath: subPaths[purpose] }),
      })),
      { name: this.scratchVolumeName, mountPath: MOUNT_PATHS.scratch },
      { name: this.examplesVolumeName, mountPath: MOUNT_PATHS.examples },
      { name: this.serviceEnvVolumeName, mountPath: MOUNT_PATHS.serviceEnv },
    ];
  }
}
