# `sagac tune` the SAGA block at each PVT-T stage and batch of one resolution, into one tuning file
# (each stage's sizes are a bucket of their own), for `npm run bench -- --tuning FILE`
# (after npm run build):
#   bash bench/scripts/tune-stages.sh RESOLUTION BATCHES FILE
#   e.g. bash bench/scripts/tune-stages.sh 1280 1,8 tune-1280.json   (docs/benchmarks-log.md, eighteenth session)
set -euo pipefail
if [ $# -ne 3 ]; then echo 'usage: bash bench/scripts/tune-stages.sh RESOLUTION BATCHES FILE' >&2; exit 2; fi
R=$1 batches=$2 file=$3
# PVT-T's stages as the bench runs them (bench/workloads.ts STAGES): channels, heads, stride.
stages=$(node --input-type=module -e "import { STAGES } from './dist/bench/workloads.js'; for (const s of STAGES) console.log(s.C, s.heads, s.stride);")
while read -r C h stride; do
  N=$(( (R / stride) * (R / stride) ))
  src=$(mktemp --suffix .saga)
  sed "s/const heads = 2/const heads = $h/" examples/saga.saga > "$src"
  for B in ${batches//,/ }; do
    node dist/cli/main.js tune "$src" --dim "B=$B" --dim "N=$N" --dim "C=$C" --repeat 5 --out "$file" < /dev/null
  done
  rm -f "$src"
done <<< "$stages"
