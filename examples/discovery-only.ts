import { App, Chart } from 'cdk8s';
import { DiscoveryRbacConstruct, resolveConfig } from 'cdk8s-thinkube-jupyterhub';

const app = new App();
const chart = new Chart(app, 'discovery');
new DiscoveryRbacConstruct(chart, 'discovery', {
  config: resolveConfig({
    discovery: { secretAllowList: [{ namespace: 'gitea', name: 'gitea-admin-token' }] },
  }),
});
app.synth();
