#!/usr/bin/env python3
"""Two or more `baysearch` binaries side by side: whole `baysearch index --rebuild`
processes on one corpus, in alternating rounds, compared as ratios.

    python3 Benchmarks/compare_builds.py /tmp/before/baysearch .build-bench/release/baysearch
    python3 Benchmarks/compare_builds.py --runs 21 --corpus Benchmarks/work/corpus-x8.jsonl A B C

Each round builds once with every binary, the order rotating from round to round, so that
the machine's slow minutes fall on all of them. For each binary it prints the median wall
time, CPU time (user + system, from the kernel's accounting of the finished process) and
minor page faults, and each of them over the first binary's as the median of the rounds'
ratios. On this project's machines a ratio within about 3% of 1 may be where the linker put
the code rather than what the code does (see Benchmarks/README.md).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def timed_build(binary, corpus, index, threads):
    """(wall seconds, CPU seconds, minor page faults) of one `baysearch index --rebuild`."""
    shutil.rmtree(index, ignore_errors=True)
    command = [binary, "index", "--rebuild", "--index", index, corpus]
    if threads:
        command[2:2] = ["--threads", str(threads)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    errors = process.stderr.read().decode("utf-8", "replace").strip().splitlines()
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{binary} failed: {errors[-1] if errors else 'no message'}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_minflt


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binaries", nargs="+", help="baysearch binaries; ratios are over the first")
    parser.add_argument("--corpus", default=os.path.join(HERE, "work", "corpus.jsonl"), help="the corpus to index")
    parser.add_argument("--runs", type=int, default=15, help="rounds of one build per binary (default 15)")
    parser.add_argument("--threads", type=int, help="--threads for every build (default: the binary's own)")
    args = parser.parse_args()
    if len(args.binaries) < 2:
        parser.error("give two or more binaries to compare")
    if args.runs < 1:
        parser.error("--runs must be 1 or more")
    for binary in args.binaries:
        if not os.access(binary, os.X_OK):
            parser.error(f"{binary} is not an executable file")
    if not os.path.isfile(args.corpus):
        parser.error(f"no corpus at {args.corpus}; run Benchmarks/make_corpus.py first")

    samples = {binary: [] for binary in args.binaries}
    with tempfile.TemporaryDirectory(prefix="baysearch-compare-") as scratch:
        index = os.path.join(scratch, "index")
        for round_ in range(args.runs):
            shift = round_ % len(args.binaries)
            for binary in args.binaries[shift:] + args.binaries[:shift]:
                try:
                    samples[binary].append(timed_build(binary, args.corpus, index, args.threads))
                except RuntimeError as error:
                    sys.exit(f"compare_builds.py: {error}")
            print(f"  round {round_ + 1}/{args.runs}", file=sys.stderr, flush=True)

    base = samples[args.binaries[0]]
    print(f"{args.runs} rounds on {os.path.basename(args.corpus)}; ratios are medians of the rounds' ratios over the first binary")
    print()
    print("| binary | wall s | ratio | CPU s | ratio | minor faults | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for binary in args.binaries:
        cells = [f"`{binary}`"]
        for column in range(3):
            values = [sample[column] for sample in samples[binary]]
            ratios = [mine[column] / theirs[column] for mine, theirs in zip(samples[binary], base) if theirs[column]]
            median = statistics.median(values)
            cells.append(f"{median:.0f}" if column == 2 else f"{median:.3f}")
            cells.append(f"{statistics.median(ratios):.3f}" if ratios else "–")
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
