# `sagac tune` the SAGA block at one PVT-T stage and batch at 1280², then the block interleaved
# under the defaults, the whole tuning file and its KV kernels' entries alone (after npm run build):
#   bash bench/scripts/tune-ab.sh STAGE HEADS BATCH N C [OUT_DIR]
#   e.g. bash bench/scripts/tune-ab.sh 3 5 8 6400 320   (docs/benchmarks-log.md, seventeenth session)
set -euo pipefail
if [ $# -lt 5 ]; then echo 'usage: bash bench/scripts/tune-ab.sh STAGE HEADS BATCH N C [OUT_DIR]' >&2; exit 2; fi
st=$1 h=$2 B=$3 N=$4 C=$5 out=${6:-${OUT:-.}}
src=$(mktemp --suffix .saga)
sed "s/const heads = 2/const heads = $h/" examples/saga.saga > "$src"
file="$out/tune-s${st}b$B.json"
node dist/cli/main.js tune "$src" --dim "B=$B" --dim "N=$N" --dim "C=$C" --repeat 5 --out "$file"
all=$(node bench/scripts/tuning-options.mjs "$file")
kv=$(node bench/scripts/tuning-options.mjs "$file" saga _projected)
node bench/scripts/codegen-ab.mjs block 1280 "$st" "$B" 'default={}' "tuned=$all" "kvtuned=$kv"
