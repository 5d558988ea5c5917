#!/usr/bin/env bash
# Issue 22's GPU checks in one call on a lent GPU machine, in the order they matter, each step
# cut at its share of a budget so that the call ends inside the device tool's limits (15
# minutes of device time a session, a machine's start included; 10 minutes a command).
#
# Here, first: `make gpu-wheels` (the packages the machine lacks, as Python 3.12 wheels in
# .whl/, about 51 MB). Then one `run` with carry [".whl"], timeout_s 580 and the command
# `bash benchmarks/gpu_session.sh`. Back under $OUT: gpu.txt, log.txt (every step's output),
# rows.jsonl (full_size.py's rows; `--report` judges them again here). Steps:
#
# 1. the `gpu`-marked tests: each tiny family reads a page at bf16/int8/int4 on CUDA, Janus'
#    int8 token embedding (vlm_embedding) is made on CUDA and only for Janus;
# 2. Janus-Pro at full size, bf16 and int8 (never run on a GPU: its int8 plan counts the int8
#    table, 0.57x bf16 by the plan);
# 3. the output layer's int8 forms on CUDA (benchmarks/output_layer.py; on the CPU they cost
#    3.4x to 44x per token);
# 4. GOT-OCR2 int8 again (its unload left +920 MiB on the H200, unexplained) and int4;
# 5. Qwen2.5-VL bf16 and int8 (never run on a GPU);
# 6. the report over the rows.
# GPU_SESSION_SECONDS (default 540) is the budget; a step that would start with under 30 s
# left is skipped and says so.
set -u
OUT=${OUT:-/tmp/gpu-session}
mkdir -p "$OUT"
BUDGET=${GPU_SESSION_SECONDS:-540}
START=$SECONDS
LOG=$OUT/log.txt
ROWS=$OUT/rows.jsonl

if [ -d .whl ]; then
    python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
        --target /tmp/site .whl/*.whl || exit 1
    export PYTHONPATH=/tmp/site:$PWD
else
    export PYTHONPATH=$PWD
fi
export PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv >"$OUT/gpu.txt" 2>&1
cat "$OUT/gpu.txt"

# step NAME SECONDS COMMAND...: run COMMAND for at most SECONDS (less if the budget has less)
step() {
    local name=$1 cap=$2
    shift 2
    local left=$((BUDGET - (SECONDS - START)))
    if [ "$left" -lt 30 ]; then
        echo "== $name: skipped, $left s of the budget left" | tee -a "$LOG"
        return
    fi
    [ "$cap" -gt "$left" ] && cap=$left
    echo "== $name (at most $cap s, $((SECONDS - START)) s in)" | tee -a "$LOG"
    timeout -k 10 "$cap" "$@" >>"$LOG" 2>&1
    echo "== $name: exit $? after $((SECONDS - START)) s" | tee -a "$LOG"
}

FULL=(python3 benchmarks/full_size.py --device gpu --timeout 90 --pages 1 --jsonl "$ROWS")
step tests 120 python3 -m pytest -q -p no:cacheprovider -m gpu \
    tests/integration/test_vlm_backends.py tests/integration/test_vlm_worker.py
step janus 170 "${FULL[@]}" --models janus --quantizations bf16,int8
step output_layer 40 python3 benchmarks/output_layer.py --device cuda --families janus,got_ocr2
step got_ocr2 90 "${FULL[@]}" --models got_ocr2 --quantizations int8,int4
step qwen2_5_vl 150 "${FULL[@]}" --models qwen2_5_vl --quantizations bf16,int8
if [ -s "$ROWS" ]; then
    python3 benchmarks/full_size.py --report "$ROWS" --device gpu >>"$LOG" 2>&1
fi
tail -n 60 "$LOG"
