import { App, Chart } from 'cdk8s';
import { StorageConstruct, resolveConfig } from 'cdk8s-thinkube-jupyterhub';

const app = new App();
const chart = new Chart(app, 'storage');
const storage = new StorageConstruct(chart, 'storage', {
  config: resolveConfig({ storage: { storageClassName: 'cephfs', datasetsCapacity: '2Ti' } }),
});
console.log(storage.claimNames.datasets); // jupyterhub-datasets-pvc
app.synth();
