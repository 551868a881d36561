export * from './config/index.js';
export { DISCOVERY_SCRIPT_FILE, DiscoveryRbacConstruct, type DiscoveryRbacProps } from './constructs/discovery-rbac.js';
export { HubHelmConstruct, type HubHelmProps } from './constructs/hub-helm.js';
export { IngressConstruct, type IngressProps, NOTEBOOK_INGRESS_ANNOTATIONS } from './constructs/ingress.js';
export { MOUNT_PATHS, type SharedVolume, StorageConstruct, type StorageProps } from './constructs/storage.js';
export { ThinkubeJupyterHub, type ThinkubeJupyterHubProps } from './constructs/thinkube-jupyterhub.js';
export * from './values/index.js';
