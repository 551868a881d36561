#!/usr/bin/env node
// The package's command. The CLI is TypeScript run through tsx's loader, in
// this process (no child to forward signals to); a compiled build can later
// import dist-lib/lib/cli/index.js here instead.
import process from 'node:process';
import { tsImport } from 'tsx/esm/api';

const cli = await tsImport('../lib/cli/index.ts', import.meta.url);
await cli.main(process.argv.slice(2));
