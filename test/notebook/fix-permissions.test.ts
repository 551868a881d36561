import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// The init container's script, run by a POSIX sh as the pod runs it (as root
// in the pod; when these tests do not run as root, owners are our own ids).
const SCRIPT = new URL('../../lib/notebook/fix-permissions.sh', import.meta.url).pathname;
const root = process.getuid?.() === 0;
const owner = root ? { uid: 1000, gid: 100 } : { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };

let shared: string;
beforeEach(() => {
  shared = mkdtempSync(join(tmpdir(), 'fix-permissions-'));
  for (const purpose of ['notebooks', 'datasets', 'models']) mkdirSync(join(shared, purpose));
});
afterEach(() => rmSync(shared, { recursive: true, force: true }));

function run(workspace?: string) {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '', SHARED_ROOT: shared, NOTEBOOK_OWNER: `${owner.uid}:${owner.gid}`,
  };
  if (workspace !== undefined) env.NOTEBOOK_WORKSPACE = workspace;
  return spawnSync('sh', [SCRIPT], { encoding: 'utf8', env });
}

const mode = (path: string) => statSync(path).mode & 0o7777;

describe('fix-permissions init script', () => {
  it('makes each claim root group-writable for jovyan, once', () => {
    const first = run();
    expect(first.status, first.stderr).toBe(0);
    for (const purpose of ['notebooks', 'datasets', 'models']) {
      const dir = join(shared, purpose);
      expect(first.stdout).toContain(`initialized ${dir}`);
      expect(mode(dir)).toBe(0o2775);
      expect(statSync(dir).uid).toBe(owner.uid);
    }
    expect(run().stdout).not.toContain('initialized');
  });

  it('creates the user\'s workspace owned by them, mode 2700, and keeps it', () => {
    const result = run('users/-41na-2e-4daria-40example-2eorg');
    expect(result.status, result.stderr).toBe(0);
    const workspace = join(shared, 'notebooks', 'users', '-41na-2e-4daria-40example-2eorg');
    expect(result.stdout).toContain('created workspace users/-41na-2e-4daria-40example-2eorg');
    expect(mode(workspace)).toBe(0o2700);
    expect([statSync(workspace).uid, statSync(workspace).gid]).toEqual([owner.uid, owner.gid]);
    writeFileSync(join(workspace, 'work.ipynb'), '{}');
    const again = run('users/-41na-2e-4daria-40example-2eorg');
    expect(again.stdout).not.toContain('created workspace');
    expect(readdirSync(workspace)).toEqual(['work.ipynb']);
  });

  it('reports, and never moves, what the shared layout left at the claim root', () => {
    const notebooks = join(shared, 'notebooks');
    writeFileSync(join(notebooks, 'old.ipynb'), '{}');
    mkdirSync(join(notebooks, 'projects'));
    writeFileSync(join(notebooks, '.secrets.env'), 'X=1');
    const result = run('users/alice');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('notebooks claim: 3 entries at its root from the shared layout are in no workspace (nothing was moved)');
    expect(readdirSync(notebooks).sort()).toEqual(['.secrets.env', '.thinkube-initialized', 'old.ipynb', 'projects', 'users']);
    expect(readdirSync(join(notebooks, 'users', 'alice'))).toEqual([]);
  });

  it('says nothing about the root when it holds only workspaces', () => {
    expect(run('users/alice').stdout).not.toContain('no workspace');
  });
});
