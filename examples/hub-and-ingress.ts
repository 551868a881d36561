import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import {
  DiscoveryRbacConstruct, HubHelmConstruct, IngressConstruct, StorageConstruct, resolveConfig,
} from 'cdk8s-thinkube-jupyterhub';

const config = resolveConfig({
  hostname: 'notebooks.example.org',
  ingress: { className: 'traefik' },
  extraValues: { hub: { db: { pvc: { storage: '5Gi' } } } },
});
const app = new App();
const chart = new Chart(app, 'hub');
const storage = new StorageConstruct(chart, 'storage', { config });
const discovery = new DiscoveryRbacConstruct(chart, 'discovery', { config });
// The hub takes its config from storage and discovery, the Ingress from the hub.
const hub = new HubHelmConstruct(chart, 'hub', { storage, discovery });
const ingress = new IngressConstruct(chart, 'ingress', { hub });

// Escape hatch: every construct's main object is reachable and patchable.
ApiObject.of(hub).addJsonPatch(JsonPatch.add('/spec/timeout', '15m'));
ApiObject.of(ingress).metadata.addAnnotation('example.org/owner', 'ml-team');
app.synth();
