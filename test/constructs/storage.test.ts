import { ApiObject, JsonPatch } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { MOUNT_PATHS, StorageConstruct, resolveConfig } from '../../lib/index.js';
import { customConfig } from '../support/configs.js';
import { find, synthChart } from '../support/synth.js';

describe('StorageConstruct', () => {
  it('defaults: three JuiceFS RWX claims of the seed sizes', () => {
    const manifests = synthChart((chart) => new StorageConstruct(chart, 'storage'));
    expect(manifests).toMatchSnapshot();
    const sizes = Object.fromEntries(manifests.map((m: any) => [m.metadata.name, m.spec.resources.requests.storage]));
    expect(sizes).toEqual({ 'jupyterhub-notebooks-pvc': '100Gi', 'jupyterhub-datasets-pvc': '500Gi', 'jupyterhub-models-pvc': '200Gi' });
    for (const claim of manifests as any[]) {
      expect(claim.spec.accessModes).toEqual(['ReadWriteMany']);
      expect(claim.spec.storageClassName).toBe('juicefs-rwx');
      expect(claim.metadata.namespace).toBe('jupyterhub');
    }
  });

  it('custom: class, sizes and namespace from config', () => {
    const manifests = synthChart((chart) => new StorageConstruct(chart, 'storage', { config: customConfig }));
    expect(manifests).toMatchSnapshot();
    const datasets: any = find(manifests, 'PersistentVolumeClaim', 'jupyterhub-datasets-pvc');
    expect(datasets.spec).toMatchObject({ storageClassName: 'cephfs', resources: { requests: { storage: '1Ti' } } });
    expect(datasets.metadata.namespace).toBe('research-hub');
  });

  it('mounts under /home/jovyan subfolders and never over /home/jovyan itself', () => {
    let storage!: StorageConstruct;
    synthChart((chart) => { storage = new StorageConstruct(chart, 'storage'); });
    const paths = storage.volumeMounts.map((m) => m.mountPath);
    expect(paths).toEqual([
      '/home/jovyan/thinkube/notebooks', '/home/jovyan/thinkube/datasets', '/home/jovyan/thinkube/models',
      '/home/jovyan/scratch', '/home/jovyan/thinkube/examples-repo', '/home/jovyan/.config/thinkube',
    ]);
    expect(paths.some((p) => p.replace(/\/+$/, '') === '/home/jovyan')).toBe(false);
    expect(Object.values(MOUNT_PATHS)).toEqual(paths);
    const volumeNames = storage.volumes.map((v) => v.name);
    for (const mount of storage.volumeMounts) expect(volumeNames).toContain(mount.name);
    expect(storage.volumes.find((v) => v.name === 'scratch')).toEqual({ name: 'scratch', emptyDir: { sizeLimit: '100Gi' } });
    expect(storage.volumes.find((v) => v.name === 'examples-repo')).toEqual({ name: 'examples-repo', emptyDir: { sizeLimit: '1Gi' } });
  });

  it('mounts each user\'s own folder of the notebooks claim, datasets and models whole', () => {
    let storage!: StorageConstruct;
    synthChart((chart) => { storage = new StorageConstruct(chart, 'storage'); });
    expect(storage.notebooksSubPath).toBe('users/{escaped_username}');
    const byName = Object.fromEntries(storage.volumeMounts.map((m) => [m.name, m]));
    expect(byName.notebooks).toEqual({ name: 'notebooks', mountPath: '/home/jovyan/thinkube/notebooks', subPath: 'users/{escaped_username}' });
    expect(byName.datasets).not.toHaveProperty('subPath');
    expect(byName.models).not.toHaveProperty('subPath');
  });

  it('keeps the playbook\'s one shared notebooks folder with storage.sharedNotebooks', () => {
    let storage!: StorageConstruct;
    synthChart((chart) => { storage = new StorageConstruct(chart, 'storage', { config: resolveConfig({ storage: { sharedNotebooks: true } }) }); });
    expect(storage.notebooksSubPath).toBeUndefined();
    expect(storage.volumeMounts.some((m) => 'subPath' in m)).toBe(false);
  });

  it('exposes the claims for patching', () => {
    const manifests = synthChart((chart) => {
      const storage = new StorageConstruct(chart, 'storage');
      expect(storage.claims.models).toBeInstanceOf(ApiObject);
      storage.claims.models.addJsonPatch(JsonPatch.add('/metadata/annotations', { backup: 'daily' }));
    });
    expect((find(manifests, 'PersistentVolumeClaim', 'jupyterhub-models-pvc') as any).metadata.annotations).toEqual({ backup: 'daily' });
  });
});
