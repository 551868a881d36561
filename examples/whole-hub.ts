import { App, Chart } from 'cdk8s';
import { ThinkubeJupyterHub, resolveConfig } from 'cdk8s-thinkube-jupyterhub';

const app = new App();
const chart = new Chart(app, 'platform');
const hub = new ThinkubeJupyterHub(chart, 'jupyterhub', {
  config: resolveConfig({ domainName: 'lab.example.org', adminUsers: ['ana'] }),
});
// Relations an embedding app needs are methods: notebooks may read one more Secret.
hub.discovery.allowSecretRead({ namespace: 'mlflow', name: 'mlflow-db-credentials' });
app.synth();
