import type { Config } from '../config/index.js';
import { THINKUBE_CONTROL_PATHS } from '../model/thinkube-control.js';
import type { Values } from './merge.js';
import { notebookStartValues } from './notebook-start.js';

/** Parameters the hub Python reads with `z2jh.get_config('custom.…')`. */
export function customValues(config: Config): Values {
  return {
    custom: {
      thinkubeControl: { ...config.thinkubeControl, paths: { ...THINKUBE_CONTROL_PATHS } },
      images: {
        registry: config.harbor.registry,
        project: config.harbor.project,
        tag: config.images.tag,
        fallback: [...config.images.notebook],
      },
      resources: { ...config.resources },
      notebookStart: notebookStartValues(config),
    },
  };
}
