#!/usr/bin/env bash
# Whole-command figures for docs/performance.md: each conversion timed with hyperfine beside
# `wc -l` and `kidkit validate` of the same input in the same run (this machine's absolute times
# swing; the ratios hold), one core, files in the page cache, output to a file; peak RSS from
# /usr/bin/time. Usage: benches/scripts/whole-commands.sh [DIR] (default: a temporary folder).
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --locked -p kidkit -p kidkit-benches >/dev/null
k="$PWD/target/release/kidkit"
gen="$PWD/target/release/kidkit-gen"
dir="${1:-$(mktemp -d)}"
mkdir -p "$dir"
cd "$dir"

[ -f o.ocr ] || "$gen" ocr 20M > o.ocr 2>/dev/null
[ -f u.txt ] || "$gen" upload 20000 > u.txt 2>/dev/null
[ -f s.txt ] || "$gen" settlement 100000 > s.txt 2>/dev/null
for f in o.ocr u.txt s.txt; do
  for t in json csv ndjson; do [ -f "$f.$t" ] || "$k" -q --jobs 1 convert "$f" --to "$t" -o "$f.$t"; done
done

mean() { # the mean seconds of one command, from hyperfine's JSON
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["mean"])' "$@"
}
rss() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; }

echo "| command | input MB | MB/s of input | × validate | × wc -l | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|---:|"
row() { # input file, the input `validate` reads, then the command's arguments
  local input=$1 native=$2; shift 2
  hyperfine -N -w 1 -r 3 --export-json h.json "wc -l $input" "$k --jobs 1 validate $native" \
    "$k --jobs 1 $*" >/dev/null 2>&1
  local size wc val cmd mem
  size=$(stat -c %s "$input")
  wc=$(mean h.json 0); val=$(mean h.json 1); cmd=$(mean h.json 2)
  mem=$(rss "$k" --jobs 1 "$@")
  python3 - "$*" "$size" "$wc" "$val" "$cmd" "$mem" "$native" "$(stat -c %s "$native")" <<'PY'
import sys
args, size, wc, val, cmd, mem, native, nsize = sys.argv[1:]
size, wc, val, cmd, nsize = int(size), float(wc), float(val), float(cmd), int(nsize)
rate = size / cmd / 1e6
# ratios of throughput: this command's input rate over validate's and wc's on the same run
vrate, wrate = nsize / val / 1e6, size / wc / 1e6
print(f"| `kidkit {args}` | {size/1e6:.0f} | {rate:.0f} | {rate/vrate:.2f} | {rate/wrate:.3f} | {int(mem)/1024:.0f} |")
PY
}
row o.ocr o.ocr validate o.ocr
row o.ocr o.ocr convert o.ocr --to csv -o out
row o.ocr o.ocr convert o.ocr --to ndjson -o out
row o.ocr o.ocr convert o.ocr --to json -o out
row o.ocr.json o.ocr convert o.ocr.json --to ocr-giro -o out
row o.ocr.csv o.ocr convert o.ocr.csv --to ocr-giro -o out
row o.ocr.ndjson o.ocr convert o.ocr.ndjson --to ocr-giro -o out
row u.txt u.txt validate u.txt
row u.txt u.txt convert u.txt --to csv -o out
row u.txt u.txt convert u.txt --to json -o out
row u.txt.json u.txt convert u.txt.json --to upload -o out
row u.txt.csv u.txt convert u.txt.csv --to upload -o out
row s.txt s.txt validate s.txt
row s.txt s.txt convert s.txt --to csv -o out
row s.txt.json s.txt convert s.txt.json --to settlement -o out
row s.txt.csv s.txt convert s.txt.csv --to settlement -o out
