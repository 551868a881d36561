/**
 * Proof of the NetworkPolicy allow-lists: the policies of the matrix
 * (matrix.ts: the real chart rendered by helm from our HelmChart's values,
 * plus our own) judged by a real NetworkPolicy analyser for the traffic that
 * matters on a Thinkube cluster, with the addresses of a k3s home lab. The
 * same matrix runs as real traffic on the node in real-traffic.test.ts. */
import { describe, expect, it } from 'vitest';
import { helmUnavailableReason } from '../support/helm.js';
import { tierUnavailable } from '../support/tier.js';
import { netpolUnavailableReason, verdicts } from './analyser.js';
import { CONFIG, homeLabPeers, matrix, render } from './matrix.js';

const unavailable = tierUnavailable('helm', helmUnavailableReason()) || tierUnavailable('netpol', netpolUnavailableReason());

function judge(config: Record<string, unknown>) {
  const chart = render(config);
  const rows = matrix(homeLabPeers(chart));
  const allowed = verdicts(chart.policies, rows.map(([, traffic]) => traffic));
  return {
    chart,
    got: Object.fromEntries(rows.map(([name], i) => [name, allowed[i]])),
    expected: Object.fromEntries(rows.map(([name, , allow]) => [name, allow])),
  };
}

describe.skipIf(unavailable)('NetworkPolicy traffic matrix (chart 4.4.0 rendered by helm, judged by Cyclonus)', () => {
  it('by default: notebooks reach DNS, the API server, thinkube-control, allow-listed services and the internet, nothing else', () => {
    const { chart, got, expected } = judge(CONFIG);
    expect(chart.policies.map((p) => p.metadata.name).sort()).toEqual(['hub', 'proxy', 'singleuser']);
    expect(got).toEqual(expected);
  });

  it('with networkPolicy.enabled: false no policy is rendered and every case is allowed', () => {
    const { chart, got } = judge({ ...CONFIG, networkPolicy: { enabled: false } });
    expect(chart.policies).toEqual([]);
    expect(Object.values(got).every(Boolean)).toBe(true);
  });

  it("a wrong policy shows: the chart's privateIPs rule opened through extraValues lets notebooks reach every pod", () => {
    const { got, expected } = judge({
      ...CONFIG,
      extraValues: { singleuser: { networkPolicy: { egressAllowRules: { privateIPs: true } } } },
    });
    expect(got['notebook -> Keycloak pod :8080']).toBe(true);
    expect(got['notebook -> unlisted service (prometheus) :9090']).toBe(true);
    expect(got).not.toEqual(expected);
  });

  it('networkPolicy.serviceNamespaces and apiServer narrow or widen the notebook allow-list', () => {
    const { got } = judge({
      ...CONFIG,
      networkPolicy: { serviceNamespaces: ['monitoring'], apiServer: { cidrs: ['192.168.1.20/32'], port: 6443 } },
    });
    expect(got['notebook -> unlisted service (prometheus) :9090']).toBe(true);
    expect(got['notebook -> kube-apiserver endpoint :6443']).toBe(false);
  });
});
