import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cdk8s-thinkube-jupyterhub: cannot find the package root holding lib/');
    dir = parent;
  }
  return dir;
}

const assetRoot = join(findPackageRoot(), 'lib');
const cache = new Map<string, string>();

/**
 * Reads a file shipped under the package's lib/ folder (hub Python, the
 * discovery script, branding), once per process.
 */
export function readAsset(relativePath: string): string {
  let content = cache.get(relativePath);
  if (content === undefined) {
    content = readFileSync(join(assetRoot, relativePath), 'utf8');
    cache.set(relativePath, content);
  }
  return content;
}

const listings = new Map<string, readonly string[]>();

/** The file names in an asset folder that end with `suffix`, sorted; read once per process. */
export function listAssets(folder: string, suffix: string): readonly string[] {
  const key = `${folder}\0${suffix}`;
  let names = listings.get(key);
  if (names === undefined) {
    names = readdirSync(join(assetRoot, folder)).filter((name) => name.endsWith(suffix)).sort();
    listings.set(key, names);
  }
  return names;
}

/** Reads a file shipped under the package's vendor/ folder (upstream CRDs; provenance in vendor/README.md), once per process. */
export function readVendored(relativePath: string): string {
  return readAsset(join('..', 'vendor', relativePath));
}
