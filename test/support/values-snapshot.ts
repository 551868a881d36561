import { createHash } from 'node:crypto';

/** Values with each hub Python file replaced by its name and hash: snapshots stay readable but still change with the code. */
export function summarizeHubPython(values: Record<string, any>): Record<string, any> {
  const copy = structuredClone(values);
  const extraConfig = copy.hub?.extraConfig ?? {};
  for (const [file, code] of Object.entries(extraConfig)) {
    extraConfig[file] = `<lib/hub/${file} sha256:${createHash('sha256').update(String(code)).digest('hex').slice(0, 16)}>`;
  }
  return copy;
}
