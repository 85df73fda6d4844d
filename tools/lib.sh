# Shared by the tools/ scripts: install missing Debian packages, build.
# Sourced, not run.

DEALTRAIL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Packages the build needs.
DEALTRAIL_BUILD_PACKAGES=(
  cmake ninja-build g++ pkg-config
  libsqlite3-dev sqlite3 libsqlitecpp-dev libhowardhinnant-date-dev
  libcli11-dev nlohmann-json3-dev libsimdjson-dev libssl-dev
)
# Packages the tests need on top.
# xmllint checks the timeline SVG; Chromium renders the HTML page headless
# and libpng reads its screenshot back. ledger, hledger and beancount are the
# peers the short benchmark run checks dealtrail's balances against (python3
# runs its checks); Google Benchmark builds the micro-benchmarks.
DEALTRAIL_TEST_PACKAGES=(libgtest-dev libgmock-dev libxml2-utils chromium libpng-dev
  python3 ledger hledger beancount libbenchmark-dev)

# How tools/check configures its build (tools/lint reads its compile
# commands). Line tables only (-g1): failures and sanitizer reports still
# name file and line, and the build takes about a third less time than with
# full -g.
DEALTRAIL_CHECK_CMAKE_ARGS=(-DDEALTRAIL_WERROR=ON -DDEALTRAIL_BUILD_TESTS=ON
  -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG")

say() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }

# Installs the packages that are not installed yet. Checks first (dpkg), so a
# warm machine starts at once; runs apt-get update only when something is
# missing. Not root: uses sudo, or prints the exact command and stops.
ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      echo "dealtrail needs Debian packages that are not installed. Run, as root:" >&2
      echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
  fi
  say "installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# configure_and_build BUILD_DIR [cmake args…] [-- targets…]
configure_and_build() {
  local dir="$1"; shift
  local args=() targets=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do args+=("$1"); shift; done
  [ "${1:-}" = "--" ] && shift && targets=("$@")
  cmake -S "$DEALTRAIL_ROOT" -B "$dir" -G Ninja "${args[@]}" >/dev/null
  if [ ${#targets[@]} -gt 0 ]; then
    cmake --build "$dir" -j "$(nproc)" --target "${targets[@]}"
  else
    cmake --build "$dir" -j "$(nproc)"
  fi
}
