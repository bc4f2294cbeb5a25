#!/usr/bin/env bash
# Runs the attention core's tests and its benchmark on the CUDA backend (ND4J nd4j-cuda-11.6).
#
#   deploy/gpu-check.sh [output-dir]
#
# Needs an NVIDIA GPU, a driver for CUDA 11.6 or newer (R510+), the CUDA 11.6 runtime with cuDNN
# 8.3 (or the org.bytedeco:cuda:11.6-8.3-1.5.7 redistributable on the class path) and Maven Central.
# ND4J 1.0.0-M2.1's CUDA build carries kernels for compute capabilities 3.7 to 8.6 only, so the
# first step is a one-op smoke test: on a newer GPU it is expected to fail there, and the script
# stops with that output rather than with a confusing test failure.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-${OUT:-target/gpu-check}}"
mkdir -p "$out"

nvidia-smi --query-gpu=name,compute_cap,driver_version,memory.total --format=csv | tee "$out/gpu.txt"

mvn -B -Pgpu -DskipTests install -pl forecaster,model-zoo -am 2>&1 | tail -n 20 | tee "$out/build.txt"

# Smoke test: sgemm and a softmax on the GPU (bench-ops names the backend it ran on).
java -jar model-zoo/target/tidecast-zoo-cli.jar bench-ops --repeats 5 2>&1 | tee "$out/bench-ops.txt"
grep -q 'CudaBackend\|JCublasBackend' "$out/bench-ops.txt" \
  || { echo "gpu-check: the CUDA backend did not load; see $out/bench-ops.txt" >&2; exit 3; }

# The attention core's tests, on the CUDA backend.
mvn -B -Pgpu -o test -pl forecaster \
  -Dtest='ProbSparseAttentionTest,KvCacheTest,TrainingFormTest,MultiHeadAttentionTest' \
  2>&1 | tee "$out/tests.txt" | grep -E 'Tests run|FAIL|ERROR' || true
grep -q 'BUILD SUCCESS' "$out/tests.txt" || { echo "gpu-check: tests failed" >&2; exit 4; }

# The benchmark: one layer, full vs ProbSparse, lengths 96 to 6144, batch 1 and 32.
java -jar model-zoo/target/tidecast-zoo-cli.jar bench-attention --max-score-gb 40 \
  2>&1 | tee "$out/bench-attention.txt"
echo "gpu-check: done; results in $out"
