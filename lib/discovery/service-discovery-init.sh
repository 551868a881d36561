#!/usr/bin/env bash
# Thinkube service discovery, run by the notebook pod's init container: turns
# the `service.environment_variables` of every labelled ConfigMap's
# `service.yaml` (../shared/contracts/service-discovery.md) into one shell
# file of `export NAME='value'` lines that kernels and terminals source.
#
# Tools: bash, kubectl, jq, and mikefarah yq v4 (service.yaml is YAML).
# API calls: one LIST of ConfigMaps, then one GET per distinct referenced
# Secret (its RBAC allows `get` on allow-listed Secrets only, never `list`).
# Exits 0 with a one-line summary even when services could not be read, and
# non-zero only when the file could not be written. Never prints a value.
#
# Env: THINKUBE_SERVICE_ENV_FILE  the file to write
#      THINKUBE_DISCOVERY_SELECTOR the ConfigMaps' label selector
set -Eeuo pipefail
shopt -s nullglob

out="${THINKUBE_SERVICE_ENV_FILE:-/home/jovyan/.config/thinkube/service-env.sh}"
selector="${THINKUBE_DISCOVERY_SELECTOR:-thinkube.io/managed=true}"
readonly notebook_owner=1000:100 # jovyan:users in the Jupyter docker stacks
readonly max_parallel_reads=4 # each kubectl is ~50 MB resident: bounded for small init containers

say() { printf 'service-discovery: %s\n' "$*" >&2; }

work="$(mktemp -d)"
tmp_out=''
cleanup() {
  rm -rf "$work"
  if [ -n "$tmp_out" ]; then rm -f "$tmp_out"; fi
}
trap cleanup EXIT

# kubectl's error output names the object and the reason, never its data.
first_error_line() {
  tr -d '\000-\010\013-\037' <"$1" | grep -m1 . || echo 'no error output'
}

# --- 1. one LIST of the labelled ConfigMaps --------------------------------
# `get --raw` skips kubectl's API discovery: exactly one request, and no
# discovery cache to write in a read-only home.
list_configmaps() {
  kubectl get --raw "/api/v1/configmaps?labelSelector=$(uri_encode "$selector")" >"$work/list.json" 2>"$work/list.err"
}

uri_encode() {
  local LC_ALL=C text="$1" encoded='' char i
  for ((i = 0; i < ${#text}; i++)); do
    char="${text:i:1}"
    case "$char" in
      [A-Za-z0-9._~-]) encoded+="$char" ;;
      *) printf -v char '%%%02X' "'$char" && encoded+="$char" ;;
    esac
  done
  printf '%s' "$encoded"
}

# --- 2. service.yaml → JSON with every scalar as its YAML text --------------
# Stringified in yq so `1.0`, `0x1F` or a 30-digit number keep the exact
# text the author wrote (jq would turn them into doubles).
readonly yq_parse='(select(.data["service.yaml"] != null) | .data["service.yaml"]) |= (from_yaml | (.. | select(kind == "scalar" and tag != "!!null")) |= to_string)'

parse_services() {
  if yq -p=json -o=json -I=0 "[.items[] | ${yq_parse}]" "$work/list.json" >"$work/services.json" 2>/dev/null; then
    return
  fi
  local version
  version="$(yq --version 2>&1 | head -n 1 || true)"
  if [[ "$version" != *mikefarah*' version v4.'* ]]; then
    say "yq is not mikefarah yq v4 (yq --version: ${version:-not found})"
    write_empty_file 'no YAML parser'
  fi
  # One unparsable service.yaml fails the batch: parse one by one so only
  # that ConfigMap is lost.
  local count i
  count="$(jq '.items | length' "$work/list.json")"
  for ((i = 0; i < count; i++)); do
    yq -p=json -o=json -I=0 ".items[$i] | ${yq_parse}" "$work/list.json" 2>/dev/null ||
      jq -c --argjson i "$i" '.items[$i] | {metadata, invalid: true}' "$work/list.json"
  done | jq -s . >"$work/services.json"
}

# --- 3. plan: one entry per environment variable, or a reason to skip -------
# Names bash, the dynamic loader or an interpreter act on (run code, change
# which programs run): a registered service must not set them in every
# notebook.
# shellcheck disable=SC2016 # a jq program: its $ are jq variables
readonly plan_definitions='
  def field($k): if type == "object" then .[$k] else null end;
  def dns_label: type == "string" and length <= 63 and test("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  def dns_subdomain: type == "string" and length <= 253 and test("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$");
  def protected_name:
    test("^(LD_|BASH_|PYTHON|GIT_|JUPYTER_)")
    or (. as $n | any("PATH", "HOME", "SHELL", "USER", "PWD", "OLDPWD", "IFS", "ENV", "CDPATH",
      "GLOBIGNORE", "PROMPT_COMMAND", "PS0", "PS1", "PS2", "PS3", "PS4", "SHELLOPTS", "BASHOPTS",
      "HISTFILE", "INPUTRC", "TERM", "UID", "EUID", "PPID", "GROUPS", "SHLVL", "NODE_OPTIONS",
      "PERL5OPT", "PERL5LIB", "RUBYOPT", "EDITOR", "VISUAL", "PAGER", "SSH_ASKPASS", "TMPDIR"; . == $n));
  def variable($cm):
    (field("name")) as $name
    | {cm: $cm, var: $name}
    + if ($name | type) != "string" or ($name | test("^[A-Za-z_][A-Za-z0-9_]*$") | not) then
        {skip: "name \($name | tojson) is not a shell identifier"}
      elif ($name | protected_name) then
        {skip: "\($name) is a name the shell or an interpreter acts on"}
      elif (field("valueFrom") | field("secretKeyRef")) != null then
        (field("valueFrom") | field("secretKeyRef")) as $ref
        | {namespace: ($ref | field("namespace") // ($cm | split("/")[0])),
           name: ($ref | field("name")), key: ($ref | field("key"))} as $r
        | if ($r.namespace | dns_label) and ($r.name | dns_subdomain)
            and ($r.key | type == "string" and test("^[-._a-zA-Z0-9]+$")) then {ref: $r}
          else {skip: "secretKeyRef of \($name) is not a valid namespace/name/key"} end
      elif (field("value") | type) == "string" then {value: field("value")}
      else {skip: "\($name) has neither a text value nor valueFrom.secretKeyRef"} end;
  def plan: [ .[] | "\(.metadata.namespace)/\(.metadata.name)" as $cm
    | if .invalid then {cm: $cm, skip_service: "service.yaml is not valid YAML"}
      elif (.data | field("service.yaml")) == null then {cm: $cm, skip_service: "no service.yaml"}
      else (.data["service.yaml"] | field("service") | field("environment_variables")) as $vars
        | if $vars == null then {cm: $cm, service: true}
          elif ($vars | type) != "array" then {cm: $cm, skip_service: "environment_variables is not a list"}
          else {cm: $cm, service: true}, ($vars[] | variable($cm)) end
      end ];'

# One jq for the plan and the Secrets it references ("namespace<TAB>name").
plan() {
  jq -r "${plan_definitions} plan | tojson, ([.[] | .ref // empty | \"\\(.namespace)\\t\\(.name)\"] | unique[])" \
    "$work/services.json" >"$work/plan.out"
  head -n 1 "$work/plan.out" >"$work/plan.json"
  tail -n +2 "$work/plan.out" >"$work/secret-refs.tsv"
}

# --- 4. one GET per distinct Secret, a few at a time ------------------------
read_secret() { # INDEX NAMESPACE NAME
  trap - ERR # a background job: its failure is a Secret not read, nothing more
  if ! kubectl get --raw "/api/v1/namespaces/$2/secrets/$3" >"$work/secrets/$1.json" 2>"$work/secrets/$1.err"; then
    rm -f "$work/secrets/$1.json"
    local reason
    reason="$(first_error_line "$work/secrets/$1.err")"
    case "$reason" in
      *'(Forbidden)'*) reason='forbidden' ;;
      *'(NotFound)'*) reason='not found' ;;
    esac
    printf '%s/%s\t%s\n' "$2" "$3" "$reason" >"$work/secrets/$1.failed"
  fi
}

read_secrets() {
  mkdir -p "$work/secrets"
  local index=0 running=0 namespace name
  while IFS=$'\t' read -r namespace name; do
    read_secret "$index" "$namespace" "$name" &
    index=$((index + 1))
    running=$((running + 1))
    if [ "$running" -ge "$max_parallel_reads" ]; then
      wait -n || true
      running=$((running - 1))
    fi
  done <"$work/secret-refs.tsv"
  wait
}

# --- 5. resolve, escape, count ----------------------------------------------
# Prints the messages and the summary (one per line), a NUL, then the file's
# lines; $secrets holds the Secrets read, $failed "namespace/name<TAB>reason"
# lines for the others.
# shellcheck disable=SC2016 # a jq program: its $ are jq variables
readonly render_definitions='
  def text_or_null: if type == "string" and (index("\u0000") | not) then . else null end;
  # Secret data is base64 of arbitrary bytes; only UTF-8 text survives the
  # round trip, anything else cannot be a shell value.
  def decoded: . as $b | (try (@base64d) catch null) as $s
    | if $s != null and ($s | @base64) == $b then $s | text_or_null else null end;
  def single_quoted: "\u0027" + (split("\u0027") | join("\u0027\\\u0027\u0027")) + "\u0027";
  def secrets_by_id:
    ($secrets | map({key: "\(.metadata.namespace)/\(.metadata.name)", value: {data: (.data // {})}}) | from_entries)
    + ($failed | split("\n") | map(select(length > 0) | split("\t") | {key: .[0], value: {error: .[1]}}) | from_entries);
  def render: secrets_by_id as $secrets
    | map(
      if .ref then
        "\(.ref.namespace)/\(.ref.name)" as $id | .ref.key as $key
        | ($secrets[$id] // {error: "was not read"}) as $s
        | if $s.error then {cm, var, skip: "\(.var): Secret \($id) \($s.error)"}
          elif ($s.data | has($key) | not) then {cm, var, skip: "\(.var): Secret \($id) has no key \($key)"}
          elif ($s.data[$key] | decoded) == null then {cm, var, skip: "\(.var): Secret \($id) key \($key) is not UTF-8 text"}
          else {cm, var, value: ($s.data[$key] | decoded)} end
      elif has("value") and (.value | text_or_null) == null then {cm, var, skip: "\(.var) contains a NUL byte"}
      else . end) as $entries
    | [$entries[] | select(has("value"))] as $resolved
    # The last definition of a name wins, as it would when sourcing.
    | (reduce range(0; $resolved | length) as $i ({}; .[$resolved[$i].var] = $i)) as $last
    | [range(0; $resolved | length) as $i | $resolved[$i] | select($last[.var] != $i)] as $overridden
    | [range(0; $resolved | length) as $i | $resolved[$i] | select($last[.var] == $i)] as $written
    | ([$entries[] | select(.skip_service or .skip) | "\(.cm): \(.skip_service // .skip), skipped"]
        + [$overridden[] | "\(.cm): \(.var) is defined again by a later service, skipped"]
        + ["\($entries | map(select(.service)) | length) services, \($written | length) variables; skipped \($entries | map(select(.skip_service)) | length) services, \($entries | map(select(.skip)) + $overridden | length) variables"]
      | map(. + "\n") | join(""))
      + "\u0000"
      + ($written | map("export \(.var)=\(.value | single_quoted)\n") | join(""));'

render() {
  local secrets=("$work"/secrets/*.json) failed=("$work"/secrets/*.failed)
  jq -j --slurpfile secrets <(cat /dev/null "${secrets[@]}") --rawfile failed <(cat /dev/null "${failed[@]}") \
    "${render_definitions} render" "$work/plan.json" >"$work/render.out"
}

# Called in a condition, where `set -e` does not apply: every step checks.
write_file() { # CONTENT_FILE
  local dir
  dir="$(dirname "$out")"
  mkdir -p "$dir" || return 1
  tmp_out="$(mktemp "$dir/.service-env.XXXXXX")" || return 1
  # Credentials: readable by the notebook user only.
  chmod 600 "$tmp_out" && cat "$1" >"$tmp_out" || return 1
  if [ "$(id -u)" = 0 ]; then chown "$notebook_owner" "$tmp_out" || return 1; fi
  mv -f "$tmp_out" "$out" || return 1
  tmp_out=''
}

readonly header='# Thinkube services, written by service discovery; sourced by kernels and terminals.'

# An empty file lets the notebook start; a failed init container would not.
write_empty_file() { # REASON
  trap - ERR
  printf '%s\n' "$header" >"$work/file"
  if ! write_file "$work/file"; then
    say "cannot write $out"
    exit 1
  fi
  printf 'service-discovery: no services read (%s) -> %s\n' "$1" "$out"
  exit 0
}

main() {
  trap 'say "unexpected failure at line $LINENO"; write_empty_file "internal error"' ERR
  if ! list_configmaps; then
    say "cannot list ConfigMaps ($selector): $(first_error_line "$work/list.err")"
    write_empty_file 'listing ConfigMaps failed'
  fi
  parse_services
  plan
  read_secrets
  render
  local report lines
  {
    IFS= read -r -d '' report
    printf '%s\n' "$header"
    cat
  } <"$work/render.out" >"$work/file"
  mapfile -t lines <<<"${report%$'\n'}"
  if [ "${#lines[@]}" -gt 1 ]; then printf 'service-discovery: %s\n' "${lines[@]:0:${#lines[@]}-1}" >&2; fi
  if ! write_file "$work/file"; then
    say "cannot write $out"
    exit 1
  fi
  printf 'service-discovery: %s -> %s\n' "${lines[-1]}" "$out"
}

main
