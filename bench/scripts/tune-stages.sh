# `sagac tune` the SAGA block at each PVT-T stage and batch of one resolution, into one tuning file
# (each stage's sizes are a bucket of their own), for `npm run bench -- --tuning FILE`
# (after npm run build):
#   bash bench/scripts/tune-stages.sh RESOLUTION BATCHES FILE
#   e.g. bash bench/scripts/tune-stages.sh 1280 1,8 tune-1280.json   (docs/benchmarks.md, eighteenth session)
set -euo pipefail
if [ $# -ne 3 ]; then echo 'usage: bash bench/scripts/tune-stages.sh RESOLUTION BATCHES FILE' >&2; exit 2; fi
R=$1 batches=$2 file=$3
# PVT-T's stages: channels, heads, stride (bench/workloads.ts STAGES).
stages=('64 1 4' '128 2 8' '320 5 16' '512 8 32')
for st in "${stages[@]}"; do
  read -r C h stride <<< "$st"
  N=$(( (R / stride) * (R / stride) ))
  src=$(mktemp --suffix .saga)
  sed "s/const heads = 2/const heads = $h/" examples/saga.saga > "$src"
  for B in ${batches//,/ }; do
    node dist/cli/main.js tune "$src" --dim "B=$B" --dim "N=$N" --dim "C=$C" --repeat 5 --out "$file"
  done
  rm -f "$src"
done
