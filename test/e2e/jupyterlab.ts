/**
 * What the browser does in a user's JupyterLab: wait for the application to
 * render, and run code in a fresh kernel through the Jupyter Server REST API
 * and the kernel's websocket, from the page itself (the user's cookies and
 * XSRF token, as JupyterLab's own requests carry them).
 */
import type { Page } from 'playwright-core';

/** Waits until JupyterLab's shell is rendered and the file browser lists the server's files. */
export async function waitForJupyterLab(page: Page, timeoutMs = 120_000): Promise<void> {
  await page.locator('.jp-LabShell').waitFor({ timeout: timeoutMs });
  await page.locator('.jp-DirListing-content').first().waitFor({ timeout: timeoutMs });
}

/**
 * Starts a python3 kernel on the user's server (`/user/<name>`), runs `code`,
 * returns what it printed (stdout), then shuts the kernel down. Throws with
 * the traceback when the code raises.
 */
export async function runInKernel(page: Page, serverPath: string, code: string, timeoutMs = 60_000): Promise<string> {
  return page.evaluate(async ({ base, source, timeout }) => {
    // Runs in the page: the browser's globals, which the test's tsconfig does not type.
    const { document, location } = globalThis as any;
    const xsrf = /(?:^|;\s*)_xsrf=([^;]+)/.exec(document.cookie)?.[1];
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (xsrf) headers['X-XSRFToken'] = decodeURIComponent(xsrf);
    const created = await fetch(`${base}/api/kernels`, { method: 'POST', headers, body: JSON.stringify({ name: 'python3' }) });
    if (!created.ok) throw new Error(`POST ${base}/api/kernels: ${created.status} ${await created.text()}`);
    const kernel = (await created.json()) as { id: string };
    const socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}${base}/api/kernels/${kernel.id}/channels`);
    // crypto.randomUUID needs a secure context, which http://<hub host> is not.
    const id = (): string => `${Date.now().toString(16)}-${Math.random().toString(16).slice(2)}`;
    const msgId = id();
    try {
      return await new Promise<string>((resolve, reject) => {
        let stdout = '';
        let error = '';
        const timer = setTimeout(() => reject(new Error(`no answer from the kernel within ${timeout} ms; output so far: ${stdout}`)), timeout);
        socket.onerror = () => { clearTimeout(timer); reject(new Error('the kernel websocket failed')); };
        socket.onopen = () => socket.send(JSON.stringify({
          header: { msg_id: msgId, msg_type: 'execute_request', username: '', session: id(), version: '5.3', date: new Date().toISOString() },
          parent_header: {}, metadata: {}, buffers: [], channel: 'shell',
          content: { code: source, silent: false, store_history: false, user_expressions: {}, allow_stdin: false, stop_on_error: true },
        }));
        socket.onmessage = (event) => {
          const message = JSON.parse(String(event.data));
          if (message.parent_header?.msg_id !== msgId) return;
          const type = message.header?.msg_type ?? message.msg_type;
          if (type === 'stream' && message.content.name === 'stdout') stdout += message.content.text;
          if (type === 'error') error = `${message.content.ename}: ${message.content.evalue}`;
          if (type === 'status' && message.content.execution_state === 'idle') {
            clearTimeout(timer);
            if (error) reject(new Error(error)); else resolve(stdout);
          }
        };
      });
    } finally {
      socket.close();
      await fetch(`${base}/api/kernels/${kernel.id}`, { method: 'DELETE', headers });
    }
  }, { base: serverPath, source: code, timeout: timeoutMs });
}
