/**
 * The thinkube-control API paths (below `thinkubeControl.url`) the hub reads
 * for the spawn form and preflight checks. One definition: the values carry
 * them to the hub Python (`custom.thinkubeControl.paths`), and preflight
 * requests the images path itself, so the two cannot ask different URLs.
 */
export const THINKUBE_CONTROL_PATHS = {
  /** The Jupyter images: `[{name, display_name, description, ...}]`. */
  images: '/images/jupyter',
  /** The nodes and their free capacity. */
  nodes: '/cluster/resources',
  /** The administrator's spawn-form defaults (node, CPU, memory, GPU). */
  defaults: '/jupyterhub/config',
} as const;
