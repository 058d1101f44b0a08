#!/usr/bin/env bash
# The clean debug build of a consumer crate, measured interleaved in one run: hand-written reqwest
# (the same reqwest features and TLS set-up as this crate); a plain progenitor crate (progenitor's
# build.rs example: the seed's POST /oauth2/session, spec/VrsUserVaultOauthInitiation.yaml as JSON,
# generated at build time with the same TLS set-up: the design's own baseline); this crate with its
# default features, with them but request signing (the rsa tree), and with every product. Then `cargo build --timings` of the plain progenitor
# consumer and of this crate's, and the units only this crate's build has, longest first.
#
#   benches/build_cost.sh            # 2 rounds; ROUNDS=3 benches/build_cost.sh for more
#
# Needs the registry (or a filled cargo cache), python3 with PyYAML (to write the plain consumer's
# spec as JSON, as progenitor's example reads it) and about 3 GB in $TMPDIR.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${ROUNDS:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

consumer() { # name, the [dependencies] lines, optional sections after them
  mkdir -p "$work/$1/src"
  printf '[package]\nname = "%s"\nversion = "0.0.0"\nedition = "2024"\n\n[workspace]\n\n[dependencies]\n%s\nserde = { version = "1", features = ["derive"] }\nserde_json = "1"\ntokio = { version = "1", features = ["rt", "macros"] }\n%s\n' \
    "$1" "$2" "${3:-}" >"$work/$1/Cargo.toml"
  echo 'fn main() {}' >"$work/$1/src/main.rs"
  # The same versions as this crate's lock file, so only the crate's own cost differs.
  cp "$root/Cargo.lock" "$work/$1/Cargo.lock"
  (cd "$work/$1" && cargo fetch -q)
}
consumer raw 'reqwest = { version = "0.13.4", default-features = false, features = ["json", "query", "multipart", "rustls-no-provider"] }
rustls = { version = "0.23", default-features = false, features = ["ring", "std", "tls12"] }'
consumer plain 'progenitor-client = "0.15.1"
reqwest = { version = "0.13.4", default-features = false, features = ["json", "query", "multipart", "rustls-no-provider"] }
rustls = { version = "0.23", default-features = false, features = ["ring", "std", "tls12"] }' '
[build-dependencies]
progenitor = "0.15.1"
prettyplease = "0.2"
serde_json = "1"
syn = "2"'
python3 -c 'import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), open(sys.argv[2], "w"))' \
  "$root/spec/VrsUserVaultOauthInitiation.yaml" "$work/plain/openapi.json"
cat >"$work/plain/build.rs" <<'RS'
fn main() {
    println!("cargo:rerun-if-changed=openapi.json");
    let spec = serde_json::from_reader(std::fs::File::open("openapi.json").unwrap()).unwrap();
    let tokens = progenitor::Generator::default().generate_tokens(&spec).unwrap();
    let code = prettyplease::unparse(&syn::parse2(tokens).unwrap());
    std::fs::write(std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("codegen.rs"), code).unwrap();
}
RS
printf 'include!(concat!(env!("OUT_DIR"), "/codegen.rs"));\nfn main() {}\n' >"$work/plain/src/main.rs"
(cd "$work/plain" && cargo fetch -q)
consumer default "cashfree-verification = { path = \"$root\" }"
# The default products without request signing (the rsa tree): what the `signing` feature costs.
consumer nosign "cashfree-verification = { path = \"$root\", default-features = false, features = [\"rustls\", \"auth\", \"1-click\"] }"
consumer all "cashfree-verification = { path = \"$root\", features = [\"all-products\"] }"

build() { # name -> seconds of a clean `cargo build`
  rm -rf "$work/$1/target"
  local start end
  start=$(date +%s.%N)
  (cd "$work/$1" && cargo build -q ${2:-} 2>/dev/null)
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

declare -A total=([raw]=0 [plain]=0 [nosign]=0 [default]=0 [all]=0)
for round in $(seq 1 "$rounds"); do
  # Alternate the order, so no configuration always builds on a warmer disk cache.
  if ((round % 2)); then order="raw plain nosign default all"; else order="all default nosign plain raw"; fi
  for name in $order; do
    t=$(build "$name")
    printf 'round %d  %-8s %7.1f s\n' "$round" "$name" "$t"
    total[$name]=$(echo "${total[$name]} + $t" | bc)
  done
done
raw=$(echo "${total[raw]} / $rounds" | bc -l)
plain=$(echo "${total[plain]} / $rounds" | bc -l)
printf 'clean debug build, mean of %d: raw reqwest %.1f s, plain progenitor %.1f s (%.2fx raw)\n' \
  "$rounds" "$raw" "$plain" "$(echo "$plain / $raw" | bc -l)"
for name in nosign default all; do
  mean=$(echo "${total[$name]} / $rounds" | bc -l)
  printf 'this crate (%s) %.1f s: %.2fx raw reqwest, %.2fx plain progenitor\n' \
    "$name" "$mean" "$(echo "$mean / $raw" | bc -l)" "$(echo "$mean / $plain" | bc -l)"
done

# Where the crate's build goes: one more clean build of each consumer with --timings; the units the
# crate's build has and the plain progenitor one does not, longest first.
for name in plain default; do
  rm -rf "$work/$name/target"
  (cd "$work/$name" && cargo build -q --timings 2>/dev/null)
done
# What the compiled program links (runtime), as opposed to what only the build script runs.
(cd "$work/default" && cargo tree -q -e normal --prefix none --format '{p}' | awk '{print $1, $2}' | sort -u) >"$work/runtime.txt"
python3 - "$work/plain/target/cargo-timings/cargo-timing.html" "$work/default/target/cargo-timings/cargo-timing.html" "$work/runtime.txt" <<'PY'
import json, re, sys
def units(path):
    html = open(path).read()
    data = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S).group(1))
    return {(u["name"], u["version"], u["target"].strip() or "lib"): u["duration"] for u in data}
base, ours = units(sys.argv[1]), units(sys.argv[2])
runtime = {tuple(line.split()) for line in open(sys.argv[3]) if line.strip()}
extra = sorted(((d, k) for k, d in ours.items() if k not in base), reverse=True)
linked = sum(d for d, (n, v, _) in extra if (n, "v" + v) in runtime)
print(f"compile units: plain progenitor {len(base)} ({sum(base.values()):.1f} CPU-s), crate {len(ours)} ({sum(ours.values()):.1f} CPU-s)")
print(f"only in the crate's build: {len(extra)} units, {sum(d for d, _ in extra):.1f} CPU-s: "
      f"{linked:.1f} in the program (runtime dependencies and the crate), "
      f"{sum(d for d, _ in extra) - linked:.1f} for the build script (the generator's tree); the longest:")
for d, (name, version, target) in extra[:24]:
    where = "runtime" if (name, "v" + version) in runtime else "build"
    print(f"  {d:6.1f} s  {where:<7}  {name} {version} {target}")
PY
