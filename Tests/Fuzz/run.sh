#!/usr/bin/env bash
# Builds BaySearch's libFuzzer targets and fuzzes each one for a while from its seeds.
#
#   Tests/Fuzz/run.sh                       every target for 20 s (what .ci/run does)
#   Tests/Fuzz/run.sh --seconds 5 analysis  chosen targets, for 5 s each
#   Tests/Fuzz/run.sh --long 600            every target for 600 s, going on past crashes
#
# Targets: query-parser, analysis, segment-reader (Sources/baysearch-fuzz). Seeds are in
# seeds/<target> (segment-reader's are built at run time); <target>.dict, where there is
# one, is the target's libFuzzer dictionary. A run's output goes to Tests/Fuzz/work/
# (gitignored): corpus/<target> (inputs worth keeping; later runs start from them),
# crashes/<target>-… (inputs that crashed, hung or ran out of memory) and logs/<target>.log.
# The run exits 1 if any target failed. A saved input replays without the fuzzing build:
#
#   swift run baysearch-fuzz --target=segment-reader Tests/Fuzz/work/crashes/segment-reader-crash-…
set -euo pipefail
cd "$(dirname "$0")/../.."

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }
all=(query-parser analysis segment-reader)
seconds=20
long=false
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds=${2:?--seconds needs a number}; shift 2 ;;
        --long) seconds=${2:?--long needs a number}; long=true; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        query-parser|analysis|segment-reader) targets+=("$1"); shift ;;
        *) echo "run.sh: unknown argument $1" >&2; usage >&2; exit 64 ;;
    esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: seconds must be a positive whole number" >&2; exit 64; }

work=Tests/Fuzz/work
mkdir -p "$work/crashes" "$work/logs"

# The fuzzing build, in its own scratch path: --sanitize=fuzzer lets libFuzzer provide
# `main` (with -Xswiftc -sanitize=fuzzer, SwiftPM still points `main` at the module's own
# entry point and the link fails); optimised, but with the standard library's bounds checks
# on unsafe buffers kept (-assert-config Debug), since a damaged segment is read through them.
echo "building the fuzzers (.build-fuzz)"
# A failed build must stop the run: the binary of an earlier build would be fuzzed instead.
quiet() { grep -Ev '^\[[0-9]+/[0-9]+\]' || true; }
build_log=$(swift build -c release --scratch-path .build-fuzz --product baysearch-fuzz --sanitize=fuzzer \
    -Xswiftc -DBAYSEARCH_FUZZING -Xswiftc -assert-config -Xswiftc Debug 2>&1) \
    || { echo "$build_log" | quiet; echo "run.sh: the fuzzing build failed" >&2; exit 1; }
echo "$build_log" | quiet
fuzzer=.build-fuzz/release/baysearch-fuzz

# Seed segments are built now by the current baysearch, from the analysis seeds' texts, so
# they always have the current segment format.
if [[ " ${targets[*]} " == *" segment-reader "* ]]; then
    build_log=$(swift build --product baysearch 2>&1) \
        || { echo "$build_log" | quiet; echo "run.sh: the baysearch build failed" >&2; exit 1; }
    echo "$build_log" | quiet
    rm -rf "$work/seed-index" "$work/seeds/segment-reader"
    mkdir -p "$work/seeds/segment-reader"
    "$(swift build --show-bin-path)/baysearch" index --threads 1 --index "$work/seed-index" Tests/Fuzz/seeds/analysis 2>&1
    cp "$work"/seed-index/seg-*.bay "$work/seeds/segment-reader/"
fi

# The Swift runtime's own crash handler would take the signal before libFuzzer's, and then
# libFuzzer would not save the input.
export SWIFT_BACKTRACE=enable=no
# The targets' scratch indexes go to memory where there is a tmpfs: the segment-reader
# target writes a file for every input, which is several times slower on a disk.
# A crashing input ends the process before it removes its scratch files, so they all go in
# one directory that the script removes.
scratch=${TMPDIR:-/tmp}
[ -d /dev/shm ] && [ -w /dev/shm ] && scratch=/dev/shm
scratch=$(mktemp -d "$scratch/baysearch-fuzz-run.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
# An input is a hang when it runs for 30 s (each takes well under a millisecond; the margin
# is for a loaded machine) and runs out of memory when the process passes 2 GiB.
options=(-max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048)
if $long; then
    # Forked runs go on after a crash, so one long run finds every bug it can, not the first.
    options+=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
fi

failed=()
for target in "${targets[@]}"; do
    seeds=Tests/Fuzz/seeds/$target
    [ "$target" = segment-reader ] && seeds=$work/seeds/segment-reader
    mkdir -p "$work/corpus/$target"
    crashesBefore=$(find "$work/crashes" -name "$target-*" | wc -l)
    echo "fuzzing $target for ${seconds} s"
    started=$SECONDS
    status=0
    dictionary=()
    [ -f "Tests/Fuzz/$target.dict" ] && dictionary=(-dict="Tests/Fuzz/$target.dict")
    TMPDIR=$scratch "$fuzzer" --target="$target" "${options[@]}" "${dictionary[@]}" -artifact_prefix="$work/crashes/$target-" \
        "$work/corpus/$target" "$seeds" >"$work/logs/$target.log" 2>&1 || status=$?
    elapsed=$(( SECONDS > started ? SECONDS - started : 1 ))
    crashes=$(( $(find "$work/crashes" -name "$target-*" | wc -l) - crashesBefore ))
    # libFuzzer's last status line ("#RUNS ... cov: EDGES ...") gives the totals.
    last=$(grep -E '^#[0-9]+' "$work/logs/$target.log" | tail -1 || true)
    runs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$last")
    coverage=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
    echo "$target: ${runs:-0} runs in $elapsed s ($(( ${runs:-0} / elapsed )) exec/s), coverage ${coverage:-?} edges," \
        "corpus $(find "$work/corpus/$target" -type f | wc -l) inputs, $crashes new failing input(s)"
    if [ "$status" -ne 0 ] || [ "$crashes" -gt 0 ]; then
        failed+=("$target")
        echo "$target FAILED (libFuzzer exit $status); inputs in $work/crashes, log in $work/logs/$target.log:"
        grep -E 'ERROR: libFuzzer|Fatal error|Test unit written' "$work/logs/$target.log" | sort | uniq -c | head -20 || true
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found failures in: ${failed[*]}" >&2
    exit 1
fi
