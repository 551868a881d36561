#!/usr/bin/env bash
# Sourced by apiserver.sh and ../node/node.sh: the test CA's keys and
# certificates (ECDSA P-256: fast to generate). Callers set PKI to the
# directory holding ca.{key,crt}.

new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# sign_cert NAME SUBJECT EXTENSIONS: PKI/NAME.{key,crt} signed by the test CA.
sign_cert() {
  new_key "$PKI/$1.key"
  openssl req -new -key "$PKI/$1.key" -subj "$2" -out "$PKI/$1.csr" 2>/dev/null
  openssl x509 -req -in "$PKI/$1.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" \
    -CAcreateserial -days 7 -out "$PKI/$1.crt" -extfile <(printf '%s\n' "$3") 2>/dev/null
  rm -f "$PKI/$1.csr"
}

# shellcheck disable=SC2034 # read by the scripts that source this file
CLIENT_CERT_EXTENSIONS='keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth'
