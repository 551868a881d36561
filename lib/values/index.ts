import type { Config } from '../config/index.js';
import type { DiscoveryIdentity, NotebookStorage } from '../model/notebook-pod.js';
import { authValues } from './auth.js';
import { brandingValues } from './branding.js';
import { customValues } from './custom.js';
import { hubPythonValues } from './hub-python.js';
import { hubValues } from './hub.js';
import { type Values, mergeAll } from './merge.js';
import { networkPolicyValues } from './network-policy.js';
import { singleuserValues } from './singleuser.js';

export { imageReference } from './images.js';
export { type Values, deepMerge, mergeAll } from './merge.js';
export { escapeBraces } from './singleuser.js';
export { valuesYaml } from './yaml.js';
export { type NotebookStart, notebookStart, notebookStartValues } from './notebook-start.js';

/** The complete Z2JH values: one builder per concern, then the config's `extraValues` on top. */
export function buildValues(config: Config, storage: NotebookStorage, discovery: DiscoveryIdentity): Values {
  return mergeAll(
    hubValues(config),
    authValues(config),
    singleuserValues(config, storage, discovery),
    networkPolicyValues(config, discovery),
    brandingValues(config),
    customValues(config),
    hubPythonValues(),
    config.extraValues as Values,
  );
}
