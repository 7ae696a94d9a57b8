#!/usr/bin/env bash
# On a machine with the Vulkan driver (the GPU machine, after `source /tmp/kit/env.sh`): the driver's
# statistics for each kernel bench/scripts/spirv-dump.mjs wrote to DIR.
#   bash bench/vulkan/stats.sh DIR [VKSTATS]
# VKSTATS: the vkstats binary (default bench/vulkan/vkstats, built here with
# `gcc -O1 -o bench/vulkan/vkstats bench/vulkan/vkstats.c -lvulkan`; needs libvulkan-dev).
set -u
dir=$1
bin=${2:-$(dirname "$0")/vkstats}
for f in "$dir"/*.spv; do
  n=${f%.spv}
  echo "== $(basename "$n")"
  "$bin" "$f" dawn_entry_point "$(cat "$n.kinds")" 2>&1 | grep -v '^device'
done
