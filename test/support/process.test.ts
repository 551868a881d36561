import { describe, expect, it } from 'vitest';
import { runProcess } from './process.js';

describe('runProcess (the tests\' one spawn-and-collect helper)', () => {
  it('collects stdout and stderr, passes input and reports the exit code', async () => {
    const result = await runProcess('bash', ['-c', 'cat; echo err >&2; exit 3'], { input: 'in\n' });
    expect(result).toMatchObject({ code: 3, signal: null, stdout: 'in\n', stderr: 'err\n' });
  });

  it('reports a process ended by a signal as a shell does (128 + its number)', async () => {
    const result = await runProcess('bash', ['-c', 'kill -TERM $$']);
    expect(result).toMatchObject({ code: 143, signal: 'SIGTERM' });
  });

  it('gives the caller the child, and the working directory and environment it was asked for', async () => {
    let pid: number | undefined;
    const result = await runProcess('bash', ['-c', 'printf "%s %s" "$PWD" "$ONLY"'], { cwd: '/tmp', env: { ONLY: 'this' }, onSpawn: (child) => { pid = child.pid; } });
    expect(result.stdout).toBe('/tmp this');
    expect(pid).toBeGreaterThan(0);
  });

  it('rejects only when the command cannot start', async () => {
    await expect(runProcess('/no/such/command', [])).rejects.toThrow('ENOENT');
  });
});
