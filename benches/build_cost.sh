#!/usr/bin/env bash
# The clean debug build of a consumer crate, measured interleaved in one run: hand-written reqwest
# (the same reqwest features and TLS set-up as this crate) against this crate with its default
# features and with every product. Then `cargo build --timings` of the crate's consumer, the units
# that took longest.
#
#   benches/build_cost.sh            # 2 rounds; ROUNDS=3 benches/build_cost.sh for more
#
# Needs the registry (or a filled cargo cache) and about 2 GB in $TMPDIR.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${ROUNDS:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

consumer() { # name, the [dependencies] lines
  mkdir -p "$work/$1/src"
  printf '[package]\nname = "%s"\nversion = "0.0.0"\nedition = "2024"\n\n[workspace]\n\n[dependencies]\n%s\nserde = { version = "1", features = ["derive"] }\nserde_json = "1"\ntokio = { version = "1", features = ["rt", "macros"] }\n' \
    "$1" "$2" >"$work/$1/Cargo.toml"
  echo 'fn main() {}' >"$work/$1/src/main.rs"
  # The same versions as this crate's lock file, so only the crate's own cost differs.
  cp "$root/Cargo.lock" "$work/$1/Cargo.lock"
  (cd "$work/$1" && cargo fetch -q)
}
consumer raw 'reqwest = { version = "0.13.4", default-features = false, features = ["json", "query", "multipart", "rustls-no-provider"] }
rustls = { version = "0.23", default-features = false, features = ["ring", "std", "tls12"] }'
consumer default "cashfree-verification = { path = \"$root\" }"
consumer all "cashfree-verification = { path = \"$root\", features = [\"all-products\"] }"

build() { # name -> seconds of a clean `cargo build`
  rm -rf "$work/$1/target"
  local start end
  start=$(date +%s.%N)
  (cd "$work/$1" && cargo build -q ${2:-} 2>/dev/null)
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

declare -A total=([raw]=0 [default]=0 [all]=0)
for round in $(seq 1 "$rounds"); do
  # Alternate the order, so no configuration always builds on a warmer disk cache.
  if ((round % 2)); then order="raw default all"; else order="all default raw"; fi
  for name in $order; do
    t=$(build "$name")
    printf 'round %d  %-8s %7.1f s\n' "$round" "$name" "$t"
    total[$name]=$(echo "${total[$name]} + $t" | bc)
  done
done
raw=$(echo "${total[raw]} / $rounds" | bc -l)
for name in default all; do
  mean=$(echo "${total[$name]} / $rounds" | bc -l)
  printf 'clean debug build, mean of %d: raw reqwest %.1f s, this crate (%s) %.1f s, ratio %.2f\n' \
    "$rounds" "$raw" "$name" "$mean" "$(echo "$mean / $raw" | bc -l)"
done

# Where the crate's build goes: the longest units of one more clean build, from --timings.
rm -rf "$work/default/target"
(cd "$work/default" && cargo build -q --timings 2>/dev/null)
python3 - "$work/default/target/cargo-timings/cargo-timing.html" <<'PY'
import json, re, sys
html = open(sys.argv[1]).read()
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S).group(1))
units.sort(key=lambda u: -u["duration"])
print("longest units of the default consumer's build (--timings):")
for u in units[:15]:
    target = u["target"].strip() or "lib"
    print(f"  {u['duration']:6.1f} s  {u['name']} {u['version']} {target}")
PY
