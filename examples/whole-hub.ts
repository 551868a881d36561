import { App, Chart } from 'cdk8s';
import { ThinkubeJupyterHub, resolveConfig } from 'cdk8s-thinkube-jupyterhub';

const app = new App();
const chart = new Chart(app, 'platform');
new ThinkubeJupyterHub(chart, 'jupyterhub', {
  config: resolveConfig({ domainName: 'lab.example.org', adminUsers: ['ana'] }),
});
app.synth();
