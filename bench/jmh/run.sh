#!/usr/bin/env bash
# Builds sfu-core and the benchmarks, then runs the forward-step JMH benchmarks with the GC profiler.
# Usage: bench/jmh/run.sh [extra JMH arguments, e.g. a benchmark regex or -p profile=AEAD_AES_128_GCM]
# Short runs by default (the reference machine has 2 shared cores); pass -wi/-i/-f to override.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -B -DskipTests package -pl sfu-core,loadtest -am
echo "machine: $(nproc) cores, $(lscpu | grep 'Model name' | sed 's/Model name: *//')"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp loadtest/target/projector-loadtest.jar org.openjdk.jmh.Main \
  -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc "${@:-io.projector.loadtest.jmh}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
