#!/usr/bin/env bash
# Debian's chromium inside the test cluster's network namespace
# (test/node/node.sh exec-net, THINKUBE_NODE_STATE names the cluster), as
# playwright-core's executablePath: the browser reaches proxy-public and
# Keycloak at their in-cluster addresses, as a user's browser reaches the
# cluster's ingress. playwright talks to it over pipes, which cross the
# namespace.
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/../node/node.sh" exec-net /usr/bin/chromium "$@"
