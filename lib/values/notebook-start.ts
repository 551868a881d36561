import { readAsset } from '../assets.js';
import { type Config, NOTEBOOK_FAMILIES, type NotebookFamily } from '../config/index.js';

/** The uid the notebook user (jovyan) has in every Thinkube image. */
export const JOVYAN_UID = 1000;

/**
 * How KubeSpawner must start an image of one family: the container's
 * `securityContext.runAsUser`, whether privilege escalation is allowed, and
 * `cmd`, which becomes the container's `args` (KubeSpawner appends its own
 * arguments; the image's ENTRYPOINT always stays).
 */
export interface NotebookStart {
  readonly uid: number;
  readonly allowPrivilegeEscalation: boolean;
  readonly cmd: readonly string[];
}

/** The environment variable naming the service-env file, read by start-singleuser.sh. */
export const SERVICE_ENV_VARIABLE = 'THINKUBE_SERVICE_ENV_FILE';

/** lib/notebook/start-singleuser.sh without its comments (they would only lengthen the pod's args). */
function startScript(): string {
  return readAsset('notebook/start-singleuser.sh')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
    .join('\n');
}

/**
 * The one place that knows how each image family starts.
 *
 * - `docker-stacks` (jupyter/docker-stacks images): ENTRYPOINT `tini -g --
 *   start.sh`. Started as root, start.sh honours GRANT_SUDO (passwordless sudo
 *   for jovyan, hence privilege escalation) and then runs its arguments as
 *   jovyan with sudo. `start.sh` is repeated in the args so that images older
 *   than docker-stacks' 2022-11 ENTRYPOINT change (plain `tini -g --`) still
 *   drop to jovyan; newer ones see it ran already and just run the rest.
 * - `thinkube` (tk-jupyter-ml-gpu and the images built on it, ml-cpu):
 *   ENTRYPOINT startup.sh, which prepares ~/thinkube and execs its arguments,
 *   as uid 1000 (jovyan). There is no start.sh and no sudo.
 *
 * Both end in start-singleuser.sh, which refuses root, sources the service
 * environment and execs jupyterhub-singleuser.
 * @see https://github.com/jupyter/docker-stacks/blob/main/images/docker-stacks-foundation/start.sh
 */
export function notebookStart(family: NotebookFamily): NotebookStart {
  const singleuser = ['bash', '-c', startScript(), 'jupyterhub-singleuser'];
  switch (family) {
    case 'docker-stacks':
      return { uid: 0, allowPrivilegeEscalation: true, cmd: ['start.sh', ...singleuser] };
    case 'thinkube':
      return { uid: JOVYAN_UID, allowPrivilegeEscalation: false, cmd: singleuser };
  }
}

/** The family of the chart's default image (`images.notebook[0]`); config validation guarantees it has one. */
export function defaultImageStart(config: Config): NotebookStart {
  const family = config.images.families[config.images.notebook[0]];
  if (family === undefined) throw new Error(`images.notebook[0] "${config.images.notebook[0]}" has no start family`);
  return notebookStart(family);
}

/**
 * `custom.notebookStart`, which lib/hub/27-thinkube-notebook-start.py reads to
 * start each image the spawn form offers: image name → family, family → start.
 */
export function notebookStartValues(config: Config): Record<string, unknown> {
  return {
    families: { ...config.images.families },
    starts: Object.fromEntries(NOTEBOOK_FAMILIES.map((family) => [family, notebookStart(family)])),
  };
}
