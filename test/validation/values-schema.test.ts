import { describe, expect, it } from 'vitest';
import { type Config, DiscoveryRbacConstruct, HubHelmConstruct, StorageConstruct } from '../../lib/index.js';
import { customConfig, exampleConfig } from '../support/configs.js';
import { synthChart, valuesOf } from '../support/synth.js';
import { z2jhSchemaErrors } from '../support/z2jh-schema.js';

function valuesFor(config: Config) {
  return valuesOf(synthChart((chart) => {
    const storage = new StorageConstruct(chart, 'storage', { config });
    const discovery = new DiscoveryRbacConstruct(chart, 'discovery', { config });
    new HubHelmConstruct(chart, 'hub', { config, storage, discovery });
  }));
}

describe('values against the Z2JH schema of the target chart version', () => {
  it('example config, chart 4.4.0', () => {
    expect(z2jhSchemaErrors(valuesFor(exampleConfig), exampleConfig.chart.version)).toEqual([]);
  });

  it('custom config, chart 4.2.0', () => {
    expect(customConfig.chart.version).toBe('4.2.0');
    expect(z2jhSchemaErrors(valuesFor(customConfig), '4.2.0')).toEqual([]);
  });

  it('catches a misspelt key, as helm install would', () => {
    const values = valuesFor({ ...exampleConfig, extraValues: { singleuser: { cpuu: { limit: 2 } } } });
    expect(z2jhSchemaErrors(values, '4.4.0').join('\n')).toContain('/singleuser must NOT have additional properties {"additionalProperty":"cpuu"}');
  });
});
