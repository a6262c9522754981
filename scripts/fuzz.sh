#!/usr/bin/env bash
# `make fuzz`: runs every cargo-fuzz target (fuzz/fuzz_targets/) for
# FUZZ_SECONDS each (default 60), one process at a time and niced, on its
# saved corpus (fuzz/corpus/<target>/), minimizes the corpus again
# (cargo fuzz cmin), copies any crash to fuzz/regressions/<target>/, and
# prints per target: executions, exec/s, corpus size and findings.
#
# Needs the nightly toolchain and cargo-fuzz, installed here when missing;
# `make test` does not:
# tests/fuzz_regressions.rs and wasm2php/tests/fuzz_regressions.rs replay
# the saved inputs on stable. FUZZ_TARGETS="a b" runs only those.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

SECONDS_EACH=${FUZZ_SECONDS:-60}
TARGETS=${FUZZ_TARGETS:-$(cargo +nightly fuzz list)}
# -O: optimized; -a: debug assertions, so that an integer overflow panics
# here as it does in `cargo test`. The sanitizer is cargo-fuzz's default.
FLAGS=(-O -a)
LOG_DIR=target/fuzz-logs
mkdir -p "$LOG_DIR"

nice -n 10 cargo +nightly fuzz build "${FLAGS[@]}"

summary=()
total_findings=0
for t in $TARGETS; do
  mkdir -p "corpus/$t" "artifacts/$t" "regressions/$t"
  before=$(find "artifacts/$t" -type f | sort)
  # Inputs stay short so that the committed corpus stays small.
  timeout=20 max_len=1024
  case $t in
    wasm2php) timeout=120 ;;
    call_any) max_len=512 ;;
  esac
  args=(-max_total_time="$SECONDS_EACH" -timeout="$timeout" -max_len="$max_len" -print_final_stats=1)
  [ -f "dict/$t.dict" ] && args+=(-dict="dict/$t.dict")
  echo "== fuzz $t: ${SECONDS_EACH}s"
  set +e
  nice -n 10 cargo +nightly fuzz run "${FLAGS[@]}" "$t" "corpus/$t" -- "${args[@]}" \
    >"$LOG_DIR/$t.log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$LOG_DIR/$t.log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$LOG_DIR/$t.log" | tail -1)
  new=$(comm -13 <(echo "$before") <(find "artifacts/$t" -type f | sort) | sed '/^$/d')
  findings=$(printf '%s' "$new" | grep -c . || true)
  for f in $new; do cp "$f" "regressions/$t/"; done
  if [ "$rc" != 0 ] && [ "$findings" = 0 ]; then
    echo "fuzz $t failed (exit $rc) without an artifact; see fuzz/$LOG_DIR/$t.log" >&2
    findings=1
  fi
  # Keep the committed corpus small: only inputs that add coverage.
  nice -n 10 cargo +nightly fuzz cmin "${FLAGS[@]}" "$t" "corpus/$t" \
    -- -timeout="$timeout" -max_len="$max_len" >"$LOG_DIR/$t.cmin.log" 2>&1 || true
  files=$(find "corpus/$t" -type f | wc -l)
  kib=$(find "corpus/$t" -type f -printf '%s\n' | awk '{s += $1} END {print int((s + 1023) / 1024)}')
  line=$(printf '%-18s %10s execs %8s exec/s  corpus %4s files %5s KiB  findings %s' \
    "$t" "${execs:-?}" "${rate:-?}" "$files" "$kib" "$findings")
  echo "$line"
  [ -n "$new" ] && echo "   saved to fuzz/regressions/$t/: $(echo $new | xargs -n1 basename | tr '\n' ' ')"
  summary+=("$line")
  total_findings=$((total_findings + findings))
done

echo
echo "fuzz summary ($(date -u +%Y-%m-%d), ${SECONDS_EACH}s per target, logs in fuzz/$LOG_DIR/):"
printf '%s\n' "${summary[@]}"
echo "findings: $total_findings"
[ "$total_findings" = 0 ]
