/**
 * A Helm chart repository on 127.0.0.1, published as a chart's maintainers
 * publish one: the archives beside the index.yaml that the real
 * `helm repo index` writes for them. Flux's source-controller reads it in
 * test/flux as it reads https://hub.jupyter.org/helm-chart/ on a cluster.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { helmOk } from './helm.js';

export interface ChartRepository {
  /** http://127.0.0.1:<port>/ */
  readonly url: string;
  /** The path of every request served, in order (e.g. `/index.yaml`). */
  readonly requests: readonly string[];
  stop(): Promise<void>;
}

/** Serves `archives` (chart .tgz files) and their index until stop(). */
export async function startChartRepository(archives: readonly string[]): Promise<ChartRepository> {
  const dir = mkdtempSync(join(tmpdir(), 'tjh-chart-repo-'));
  for (const archive of archives) copyFileSync(archive, join(dir, basename(archive)));
  const requests: string[] = [];
  const served = new Set(['index.yaml', ...archives.map((a) => basename(a))]);
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://repo').pathname;
    requests.push(path);
    const file = path.slice(1);
    if (request.method !== 'GET' || !served.has(file)) {
      response.writeHead(404).end();
      return;
    }
    const type = file.endsWith('.yaml') ? 'application/x-yaml' : 'application/gzip';
    response.writeHead(200, { 'content-type': type }).end(readFileSync(join(dir, file)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  helmOk(['repo', 'index', dir, '--url', url]);
  return {
    url,
    requests,
    stop: () => new Promise((resolve) => server.close(() => {
      rmSync(dir, { recursive: true, force: true });
      resolve();
    })),
  };
}
