#!/usr/bin/env bash
# Prints one line naming the machine a benchmark ran on: CPU model and family, cores, and the
# vector width the JVM's preferred species will have (from the CPU flags; a JVM flag such as
# -XX:UseAVX=2 lowers it, and the benchmark's own options say when one is used).
# Sourced by the bench/*.sh scripts: `bench_machine` writes to stdout.
bench_machine() {
  local model family width
  model=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)
  family=$(sed -n 's/^cpu family\s*: //p' /proc/cpuinfo | head -1)
  if grep -qw avx512f /proc/cpuinfo; then width="512-bit vectors (AVX-512)"
  elif grep -qw avx2 /proc/cpuinfo; then width="256-bit vectors (AVX2)"
  else width="128-bit vectors or narrower"; fi
  echo "machine: ${model:-unknown CPU} (family ${family:-?}), $(nproc) cores, ${width}"
}
