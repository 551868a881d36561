// CoreDNS for the node tier, built as a library with only the plugins its
// Corefile uses (bind, errors, cache, kubernetes, log): the stock binary
// compiles every cloud provider's SDK, which costs minutes on a cold cache.
package main

import (
	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/log"

	"github.com/coredns/coredns/coremain"
)

func main() {
	coremain.Run()
}
