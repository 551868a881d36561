// Prints where a user's machine pulls the chart from: `<repo> <name>` of the
// default config (lib/config/defaults.ts is the one home of that fact).
import { resolveConfig } from '../../lib/index.js';

const { chart } = resolveConfig({});
console.log(`${chart.repo} ${chart.name}`);
