#!/usr/bin/env bash
# Checks, before `pnpm demo`, `pnpm test` or `pnpm bench` start, that the machine has what they run:
# Node.js >= 20.19 and the system tools (git, redis-server, rpm, rsync, time). When one is missing
# it says which, and the Debian/Ubuntu packages that provide them, instead of letting the run fail
# later with a stack trace.
#
#   bash scripts/preflight.sh demo|test|bench        check; exit 1 naming what is missing
#   bash scripts/preflight.sh --missing demo|test|bench
#                                                     print the apt packages that are missing, one a
#                                                     line, and exit 0 (what .ci/run installs)
set -euo pipefail

usage() {
  printf 'usage: bash scripts/preflight.sh [--missing] demo|test|bench\n' >&2
  exit 2
}

list_only=false
if [ "${1:-}" = "--missing" ]; then
  list_only=true
  shift
fi
[ $# -eq 1 ] || usage
purpose=$1

# The commands each purpose runs, as "command:apt package".
case "$purpose" in
  # the demo: git repositories, a private Redis
  demo) needs=(git:git redis-server:redis-server) ;;
  # the tests also compare with rpm's own parsing (rpm, rpmspec) and the real rsync
  test) needs=(git:git redis-server:redis-server rpm:rpm rpmspec:rpm rsync:rsync) ;;
  # the benchmarks also measure memory with GNU time
  bench) needs=(git:git redis-server:redis-server /usr/bin/time:time) ;;
  *) usage ;;
esac

missing=()
for need in "${needs[@]}"; do
  command=${need%%:*}
  package=${need#*:}
  command -v "$command" >/dev/null 2>&1 && continue
  case " ${missing[*]:-} " in
    *" $package "*) ;;
    *) missing+=("$package") ;;
  esac
done

if $list_only; then
  [ ${#missing[@]} -eq 0 ] || printf '%s\n' "${missing[@]}"
  exit 0
fi

problems=0
if ! command -v node >/dev/null 2>&1; then
  printf 'preflight: node is not installed: srcgit needs Node.js >= 20.19\n' >&2
  problems=1
elif ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  printf 'preflight: Node.js %s is too old: srcgit needs Node.js >= 20.19\n' "$(node --version)" >&2
  problems=1
fi
if [ ${#missing[@]} -gt 0 ]; then
  named=$(printf '%s, ' "${missing[@]}")
  printf "preflight: 'pnpm %s' needs %s, which %s not installed.\n" "$purpose" "${named%, }" \
    "$([ ${#missing[@]} -eq 1 ] && echo is || echo are)" >&2
  printf '  On Debian or Ubuntu: sudo apt-get update && sudo apt-get install %s\n' "${missing[*]}" >&2
  problems=1
fi
exit "$problems"
