import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tierUnavailable } from '../support/tier.js';
import { REPO } from '../support/run-synth.js';

function trackedFiles(pattern: string): string[] {
  const result = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', pattern], { cwd: REPO, encoding: 'utf8' });
  return result.stdout.split('\n').filter(Boolean);
}

const hasShellcheck = spawnSync('shellcheck', ['--version']).status === 0;
const shellFiles = [...trackedFiles('*.sh'), '.ci/run'];
const pythonFiles = trackedFiles('*.py');

describe.skipIf(tierUnavailable('lint', hasShellcheck ? undefined : 'shellcheck is not installed (bash test/lint/provision.sh)'))('shell scripts', () => {
  it('are shellcheck-clean', () => {
    expect(shellFiles).toContain('lib/discovery/service-discovery-init.sh');
    const result = spawnSync('shellcheck', ['-x', ...shellFiles], { cwd: REPO, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('fails on a broken script, so the check above can fail', () => {
    const result = spawnSync('shellcheck', ['-s', 'bash', '-'], { input: 'echo $1\n', encoding: 'utf8' });
    expect(result.status).not.toBe(0);
  });

  it('all use strict mode (set -euo pipefail, other flags allowed)', () => {
    for (const file of shellFiles) {
      // The header comment, then the first command: that must be the `set`.
      const lines = readFileSync(join(REPO, file), 'utf8').split('\n');
      const firstCommand = lines.findIndex((line, i) => i > 0 && line.trim() !== '' && !line.startsWith('#'));
      const head = lines.slice(0, firstCommand + 1).join('\n');
      if (/^# Sourced/m.test(head)) continue;
      // POSIX sh scripts (run by busybox images) have no pipefail: -e and -u.
      const strict = head.startsWith('#!/bin/sh\n') ? /^set -(?=[a-zA-Z]*e)(?=[a-zA-Z]*u)[a-zA-Z]+$/m
        : /^set -(?=[a-zA-Z]*e)(?=[a-zA-Z]*u)[a-zA-Z]*o pipefail$/m;
      expect(head, file).toMatch(strict);
    }
  });
});

describe('Python files', () => {
  // The py_compile check, without writing __pycache__ into the source tree.
  it('compile (python3 -m py_compile, no bytecode written)', () => {
    expect(pythonFiles.length).toBeGreaterThan(0);
    const check = 'import sys\nfor f in sys.argv[1:]:\n    compile(open(f, encoding="utf-8").read(), f, "exec")';
    const result = spawnSync('python3', ['-c', check, ...pythonFiles], { cwd: REPO, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
