import { readAsset } from '../assets.js';
import type { Config } from '../config/index.js';
import type { Values } from './merge.js';

const TEMPLATES = '/usr/local/share/jupyterhub/custom-templates';
const STATIC = '/usr/local/share/jupyterhub/static';
const LOGO_PATH = `${STATIC}/images/thinkube-ai-lab-logo.svg`;

/** Logo, page template, stylesheet and announcement, mounted into the hub by `hub.extraFiles`. */
export function brandingValues(config: Config): Values {
  return {
    hub: {
      extraFiles: {
        'thinkube-page-template': { mountPath: `${TEMPLATES}/page.html`, stringData: readAsset('branding/page.html') },
        'thinkube-css': { mountPath: `${STATIC}/css/thinkube.css`, stringData: readAsset('branding/thinkube.css') },
        'thinkube-logo': { mountPath: LOGO_PATH, stringData: readAsset('branding/thinkube-ai-lab-logo.svg') },
      },
      templatePaths: [TEMPLATES],
      templateVars: config.branding.announcement ? { announcement: config.branding.announcement } : {},
      config: { JupyterHub: { logo_file: LOGO_PATH } },
    },
  };
}
