import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO } from './run-synth.js';

/**
 * The app snapshots with each embedded file body (hub Python, init scripts,
 * branding) replaced by a one-line marker naming the file:
 * `<<lib/hub/30-thinkube-profiles.py sha256:0123456789ab>>`. A change to one
 * file then changes one line per snapshot instead of rewriting its body in
 * each, and the marker's hash (the first 12 hex digits of `sha256sum FILE`)
 * says which version of the file went in.
 *
 * Only a literal block scalar (`|` or `|-`) whose value equals the file, or
 * the form the library derives from it, becomes a marker: a body that differs
 * from the file by a byte stays verbatim, so a change in what we emit still
 * shows in full. Everything else in the snapshot is the synth output as it is.
 */

/** How the library embeds a file: as it is, or derived from it. Written out here, not imported, so a bug in the library's version shows. */
interface Form {
  /** Said in the marker after the file name; empty for the file as it is. */
  readonly note: string;
  readonly of: (file: string) => string;
}

const FORMS: readonly Form[] = [
  { note: '', of: (file) => file },
  // KubeSpawner formats init containers' commands with the user's name: lib/values/singleuser.ts doubles the braces.
  { note: ' with braces doubled', of: (file) => file.replace(/[{}]/g, '$&$&') },
  // lib/values/notebook-start.ts puts start-singleuser.sh into the pod's args without its comments.
  {
    note: ' without comments and blank lines',
    of: (file) => file.split('\n').filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#')).join('\n'),
  },
];

export interface EmbeddableFile {
  /** Repository-relative: lib/hub/30-thinkube-profiles.py. */
  readonly path: string;
  readonly text: string;
  readonly sha: string;
}

/** Every file under lib/ that the library may embed: all but its TypeScript. */
export function embeddableFiles(): EmbeddableFile[] {
  return readdirSync(join(REPO, 'lib'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.endsWith('.ts'))
    .map((entry) => {
      const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
      const path = relative(REPO, join(entry.parentPath, entry.name));
      return { path, text, sha: createHash('sha256').update(text).digest('hex').slice(0, 12) };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

const marker = (file: EmbeddableFile, form: Form): string => `<<${file.path}${form.note} sha256:${file.sha}>>`;
const MARKER = /^( *)<<(lib\/[^ >]+)([^>]*?) sha256:([0-9a-f]{12})>>$/;

/** A literal block scalar's header: `key: |`, `- |`, `key: |-` (no indentation indicator, no keep chomping). */
const BLOCK_HEADER = /^ *(?:.*?[:-] )?\|(-?)$/;

const indentOf = (line: string): number => line.length - line.trimStart().length;

/** The lines of a block scalar's body starting at `start`, without trailing empty lines, and their indentation. */
function blockBody(lines: readonly string[], start: number): { end: number; indent: number } | undefined {
  const first = lines.slice(start).find((line) => line !== '');
  if (first === undefined) return undefined;
  const indent = indentOf(first);
  let end = start;
  for (let i = start; i < lines.length && (lines[i].trim() === '' || indentOf(lines[i]) >= indent); i += 1) {
    if (lines[i].trim() !== '') end = i + 1;
  }
  return end > start ? { end, indent } : undefined;
}

/** The synth output with every embedded file body that matches its file replaced by a marker. */
export function markEmbeddedFiles(yaml: string, files: readonly EmbeddableFile[] = embeddableFiles()): string {
  const markers = new Map<string, string>();
  for (const file of files) {
    for (const form of FORMS) if (!markers.has(form.of(file.text))) markers.set(form.of(file.text), marker(file, form));
  }
  const lines = yaml.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    out.push(lines[i]);
    const header = BLOCK_HEADER.exec(lines[i]);
    const body = header && blockBody(lines, i + 1);
    if (!header || !body || body.indent <= indentOf(lines[i])) continue;
    const value = lines.slice(i + 1, body.end).map((line) => line.slice(body.indent)).join('\n') + (header[1] === '-' ? '' : '\n');
    const found = markers.get(value);
    if (found === undefined) continue;
    out.push(' '.repeat(body.indent) + found);
    i = body.end - 1;
  }
  return out.join('\n');
}

/**
 * The synth output a marked snapshot stands for: each marker replaced by its
 * file's body again. Throws when a file changed since the snapshot was written,
 * as then the snapshot no longer says what the library emits.
 */
export function restoreEmbeddedFiles(marked: string, files: readonly EmbeddableFile[] = embeddableFiles()): string {
  return marked.split('\n').flatMap((line) => {
    const found = MARKER.exec(line);
    if (!found) return [line];
    const [, indent, path, note, sha] = found;
    const file = files.find((candidate) => candidate.path === path);
    const form = FORMS.find((candidate) => candidate.note === note);
    if (file === undefined || form === undefined) throw new Error(`snapshot marker ${line.trim()}: no such file or form`);
    if (file.sha !== sha) throw new Error(`${path} changed since the snapshot was written (sha256 ${sha}, now ${file.sha}): update the snapshots`);
    return form.of(file.text).replace(/\n$/, '').split('\n').map((bodyLine) => (bodyLine === '' ? '' : indent + bodyLine));
  }).join('\n');
}
