import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tierUnavailable } from '../support/tier.js';

// The init container's script, run by a POSIX sh with git, as the pod runs it
// (the pod's sh is alpine's busybox). Thinkube images' startup.sh exits 1
// without EXAMPLES_DIR/thinkube-ai-examples, so it must exist in every case.
const SCRIPT = new URL('../../lib/notebook/clone-examples.sh', import.meta.url).pathname;
const hasGit = spawnSync('git', ['--version']).status === 0;
const root = process.getuid?.() === 0;
// As root (like the pod) the examples go to jovyan; otherwise to ourselves.
const owner = root ? { uid: 1000, gid: 100 } : { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'clone-examples-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function run(repository: string) {
  const examples = join(work, 'examples');
  execFileSync('mkdir', [examples]);
  const result = spawnSync('sh', [SCRIPT], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, EXAMPLES_REPOSITORY: repository, EXAMPLES_DIR: examples, NOTEBOOK_OWNER: `${owner.uid}:${owner.gid}` },
  });
  const target = join(examples, 'thinkube-ai-examples');
  return { ...result, target };
}

function localRepository(): string {
  const repo = join(work, 'origin');
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args]);
  execFileSync('git', ['init', '--quiet', repo]);
  execFileSync('sh', ['-c', `mkdir -p "${repo}/common" && echo nb > "${repo}/common/intro.ipynb"`]);
  git('add', '.');
  git('commit', '--quiet', '-m', 'examples');
  return `file://${repo}`;
}

describe.skipIf(tierUnavailable('lint', hasGit ? undefined : 'git is not installed'))('clone-examples init script', () => {
  it('clones the repository, owned by the notebook user', () => {
    const origin = localRepository();
    const result = run(origin);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`cloned ${origin}`);
    expect(readFileSync(join(result.target, 'common', 'intro.ipynb'), 'utf8')).toBe('nb\n');
    expect(existsSync(join(result.target, 'EXAMPLES-UNAVAILABLE.txt'))).toBe(false);
    expect(statSync(join(result.target, 'common')).uid).toBe(owner.uid);
    expect(statSync(result.target).gid).toBe(owner.gid);
  });

  it('leaves an empty folder with a notice when the clone fails, and exits 0', () => {
    const result = run('file:///nonexistent/thinkube-ai-examples.git');
    expect(result.status, result.stderr).toBe(0);
    expect(readdirSync(result.target)).toEqual(['EXAMPLES-UNAVAILABLE.txt']);
    const notice = readFileSync(join(result.target, 'EXAMPLES-UNAVAILABLE.txt'), 'utf8');
    expect(notice).toContain('file:///nonexistent/thinkube-ai-examples.git could not be cloned');
    expect(notice).toContain('-c clone-examples');
    expect(result.stderr).toContain('examples unavailable');
    expect(statSync(result.target).uid).toBe(owner.uid);
  });

  it('leaves an empty folder with a notice when the examples are turned off', () => {
    const result = run('');
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(join(result.target, 'EXAMPLES-UNAVAILABLE.txt'), 'utf8')).toContain('turned off');
  });
});
