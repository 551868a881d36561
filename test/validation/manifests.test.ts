import { describe, expect, it } from 'vitest';
import { type Config, ThinkubeJupyterHub } from '../../lib/index.js';
import { customConfig, exampleConfig } from '../support/configs.js';
import { crdSchemaErrors, validateKubernetesObject } from '../support/kubernetes-schema.js';
import { HELMCHART_CRD } from '../support/vendor.js';
import { synthChart, valuesOf } from '../support/synth.js';

const synthAll = (config: Config) => synthChart((chart) => new ThinkubeJupyterHub(chart, 'hub', { config }));

describe.each([['example', exampleConfig], ['custom', customConfig]])('%s config manifests', (_name, config) => {
  it('every built-in object is valid against the Kubernetes schema', async () => {
    const manifests = synthAll(config).filter((m) => m.kind !== 'HelmChart');
    expect(manifests.length).toBeGreaterThan(8);
    for (const manifest of manifests) await validateKubernetesObject(manifest);
  });

  it('the notebook pod parts inside the values are valid Kubernetes objects', async () => {
    const { singleuser } = valuesOf(synthAll(config));
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'jupyter-test' },
      spec: {
        initContainers: singleuser.initContainers,
        containers: [{ name: 'notebook', image: 'x', volumeMounts: singleuser.storage.extraVolumeMounts, lifecycle: singleuser.lifecycleHooks }],
        volumes: singleuser.storage.extraVolumes,
      },
    };
    await validateKubernetesObject(pod);
  });

  it('the HelmChart is valid against its CRD', () => {
    const helmChart = synthAll(config).find((m) => m.kind === 'HelmChart')!;
    expect(crdSchemaErrors(HELMCHART_CRD, helmChart)).toEqual([]);
  });
});

describe('validators catch errors', () => {
  it('rejects a broken object, so the checks above can fail', async () => {
    await expect(validateKubernetesObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { n: 1 } } as never)).rejects.toThrow('must be string');
  });

  it('rejects a HelmChart with a wrong field type', () => {
    const bad = { apiVersion: 'helm.cattle.io/v1', kind: 'HelmChart', metadata: { name: 'x' }, spec: { chart: 3 } };
    expect(crdSchemaErrors(HELMCHART_CRD, bad as never)).not.toEqual([]);
  });
});
