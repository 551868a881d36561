// Baseline for bench/synth.ts: the smallest app of the same kind (one PVC and
// one HelmChart), synthesized the same way as main.ts.
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { HelmChart } from '../imports/helm.cattle.io.js';

const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? 'dist' });
const chart = new Chart(app, 'minimal');
new k8s.KubePersistentVolumeClaim(chart, 'claim', {
  spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: k8s.Quantity.fromString('1Gi') } } },
});
new HelmChart(chart, 'chart', { spec: { chart: 'jupyterhub', repo: 'https://hub.jupyter.org/helm-chart/', version: '4.4.0' } });
app.synth();
