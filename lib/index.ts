export * from './config/index.js';
export { DISCOVERY_SCRIPT_FILE, DiscoveryRbacConstruct, type DiscoveryRbacProps } from './constructs/discovery-rbac.js';
export { HubHelmConstruct, type HubHelmProps } from './constructs/hub-helm.js';
export { IngressConstruct, type IngressProps, NOTEBOOK_INGRESS_ANNOTATIONS } from './constructs/ingress.js';
export { StorageConstruct, type StorageProps } from './constructs/storage.js';
export { ThinkubeJupyterHub, type ThinkubeJupyterHubProps } from './constructs/thinkube-jupyterhub.js';
export type { Volume, VolumeMount } from './model/kubernetes-types.js';
export { type DiscoveryIdentity, MOUNT_PATHS, type NotebookStorage, type SharedVolume } from './model/notebook-pod.js';
export * from './values/index.js';
