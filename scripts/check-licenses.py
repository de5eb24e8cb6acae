#!/usr/bin/env python3
"""Supply-chain check of the Rust workspace (what `cargo deny check licenses bans sources` would
do; see the README's reliability section for why this script and not cargo-deny): every crate the
workspace's targets resolve to (`cargo metadata --locked`, all platforms) must
  - carry a licence expression that the allow-list below satisfies (OR: one side; AND: both),
  - come from crates.io or this repository (no git or other registries),
  - not be a banned crate.
Prints a summary line; exits 1 with the offenders otherwise."""
import json, re, subprocess, sys

# Licences the app may ship (permissive; MPL-2.0 is file-level copyleft, fine for unmodified use).
ALLOW = {
    "MIT", "MIT-0", "Apache-2.0", "Apache-2.0 WITH LLVM-exception", "BSD-2-Clause", "BSD-3-Clause",
    "ISC", "Zlib", "Unicode-3.0", "Unicode-DFS-2016", "CC0-1.0", "MPL-2.0", "0BSD", "BSL-1.0",
    "Unlicense", "CDLA-Permissive-2.0", "OFL-1.1", "bzip2-1.0.6", "NCSA",
}
# Crates the app must not pull in, with the reason.
BANNED = {
    "openssl-sys": "TLS is rustls; a system OpenSSL would be a second TLS stack to patch",
    "openssl": "TLS is rustls",
}
CRATES_IO = "registry+https://github.com/rust-lang/crates.io-index"

def tokens(expr):
    return re.findall(r"\(|\)|[A-Za-z0-9.+\-]+(?: WITH [A-Za-z0-9.+\-]+)?", expr.replace("/", " OR "))

def allowed(expr):
    toks = tokens(expr)
    pos = 0
    def atom():
        nonlocal pos
        t = toks[pos]; pos += 1
        if t == "(":
            v = disj()
            pos += 1  # ")"
            return v
        return t in ALLOW
    def conj():
        nonlocal pos
        v = atom()
        while pos < len(toks) and toks[pos] == "AND":
            pos += 1
            v = atom() and v
        return v
    def disj():
        nonlocal pos
        v = conj()
        while pos < len(toks) and toks[pos] == "OR":
            pos += 1
            v = conj() or v
        return v
    return disj()

meta = json.loads(subprocess.run(
    ["cargo", "metadata", "--format-version", "1", "--locked"],
    check=True, capture_output=True, text=True).stdout)
used = {n["id"] for n in meta["resolve"]["nodes"]}
bad = []
licences = {}
for p in meta["packages"]:
    if p["id"] not in used:
        continue
    name = f'{p["name"]} {p["version"]}'
    src = p.get("source")
    if src is not None and src != CRATES_IO:
        bad.append(f"{name}: source {src} is not crates.io")
    if p["name"] in BANNED:
        bad.append(f"{name}: banned ({BANNED[p['name']]})")
    lic = p.get("license")
    if src is None:
        continue  # our own crates
    if not lic:
        bad.append(f"{name}: no licence expression (license-file: {p.get('license_file')})")
    elif not allowed(lic):
        bad.append(f"{name}: licence '{lic}' is not in the allow-list")
    else:
        licences[lic] = licences.get(lic, 0) + 1
if bad:
    print("licence/source check failed:\n  " + "\n  ".join(sorted(bad)), file=sys.stderr)
    sys.exit(1)
total = sum(licences.values())
print(f"licences, bans, sources: ok — {total} crates from crates.io, {len(licences)} licence expressions, all allowed")
