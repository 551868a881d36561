#!/usr/bin/env node
// The package's command. An installed package runs the compiled CLI
// (dist-lib, built by `npm pack`); a checkout, which has the TypeScript
// sources, runs them through tsx's loader in this process, so they are never stale.
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

const source = new URL('../lib/cli/index.ts', import.meta.url);
const cli = existsSync(source)
  ? await (await import('tsx/esm/api')).tsImport(source.href, import.meta.url)
  : await import('../dist-lib/lib/cli/index.js');
await cli.main(process.argv.slice(2));
