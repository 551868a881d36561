import { listAssets, readAsset } from '../assets.js';
import type { Values } from './merge.js';

/** Every `lib/hub/*.py`, keyed by file name: the chart runs them in sorted key order. */
export function hubPythonValues(): Values {
  const extraConfig: Record<string, string> = {};
  for (const file of listAssets('hub', '.py')) extraConfig[file] = readAsset(`hub/${file}`);
  return { hub: { extraConfig } };
}
