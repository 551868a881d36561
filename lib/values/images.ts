import type { Config } from '../config/index.js';

/**
 * A pull reference: a bare Thinkube image name (`tk-jupyter-scipy`) lives in
 * the Harbor project with the configured tag; anything with a '/' is used as given.
 */
export function imageReference(config: Config, image: string): string {
  if (image.includes('/')) return image;
  const withTag = image.includes(':') ? image : `${image}:${config.images.tag}`;
  return `${config.harbor.registry}/${config.harbor.project}/${withTag}`;
}

/** Splits `registry/name:tag` into the chart's `{ name, tag }` image form. */
export function splitImage(reference: string): { name: string; tag: string } {
  const at = reference.lastIndexOf(':');
  const slash = reference.lastIndexOf('/');
  if (at > slash) return { name: reference.slice(0, at), tag: reference.slice(at + 1) };
  return { name: reference, tag: 'latest' };
}
