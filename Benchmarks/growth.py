#!/usr/bin/env python3
"""Growth study: BaySearch's build time, peak memory and query latency at 1x, 2x, 4x and 8x
the benchmark corpus.

    python3 Benchmarks/make_corpus.py            # once
    python3 Benchmarks/growth.py                 # -> Benchmarks/work/growth.md

Each scale's corpus is K copies of corpus.jsonl with distinct ids (make_corpus.py --scale K).
Builds run --runs times (median reported) under /usr/bin/time for wall time and peak
resident memory; latency is the median and p99 of `took_us` over Benchmarks/queries.txt,
--passes passes. The binary is built from the working tree into .build-bench.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def build_baysearch():
    """Builds the release CLI into .build-bench and returns its path."""
    subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--scratch-path", os.path.join(ROOT, ".build-bench"),
                    "--product", "baysearch"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, ".build-bench", "release", "baysearch")


def scaled_corpus(work, scale):
    """The path of the corpus at `scale`, written by make_corpus.py if missing."""
    path = os.path.join(work, "corpus.jsonl" if scale == 1 else f"corpus-x{scale}.jsonl")
    if not os.path.exists(path):
        subprocess.run([sys.executable, os.path.join(HERE, "make_corpus.py"), "--work", work, "--scale", str(scale)],
                       check=True, stdout=subprocess.DEVNULL)
    return path


def timed_build(binary, corpus, index):
    """(wall seconds, peak resident MB) of one `baysearch index` run."""
    shutil.rmtree(index, ignore_errors=True)
    result = subprocess.run(["/usr/bin/time", "-f", "%e %M", binary, "index", "--index", index, corpus],
                            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds, kilobytes = result.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kilobytes) / 1024


def latencies(binary, index, queries, passes):
    """Every query's took_us over `passes` passes (after one warm-up pass), sorted."""
    samples = []
    for attempt in range(passes + 1):
        output = subprocess.run([binary, "search", "--index", index, "--json", "--queries", queries],
                                check=True, capture_output=True, text=True).stdout
        if attempt > 0:
            samples += [json.loads(line)["took_us"] for line in output.splitlines()]
    return sorted(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", default=os.path.join(HERE, "work"))
    parser.add_argument("--scales", default="1,2,4,8")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()

    binary = build_baysearch()
    queries = os.path.join(HERE, "queries.txt")
    rows = []
    for scale in (int(k) for k in args.scales.split(",")):
        corpus = scaled_corpus(args.work, scale)
        index = os.path.join(args.work, "indexes", f"growth-x{scale}")
        builds = [timed_build(binary, corpus, index) for _ in range(args.runs)]
        seconds = statistics.median(b[0] for b in builds)
        memory = statistics.median(b[1] for b in builds)
        samples = latencies(binary, index, queries, args.passes)
        rows.append((scale, os.path.getsize(corpus) / 1e6, seconds, memory,
                     samples[len(samples) // 2], samples[min(len(samples) - 1, int(len(samples) * 0.99))]))
        print(f"x{scale}: {rows[-1][1]:.1f} MB, build {seconds:.2f} s, peak {memory:.0f} MB", file=sys.stderr)
        shutil.rmtree(index, ignore_errors=True)

    base = rows[0]
    lines = ["| scale | corpus MB | build s | time vs 1x | MB/s | peak MB | memory vs 1x | median µs | p99 µs |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for scale, megabytes, seconds, memory, median, p99 in rows:
        lines.append(f"| {scale}x | {megabytes:.1f} | {seconds:.2f} | {seconds / base[2]:.2f} | {megabytes / seconds:.1f} "
                     f"| {memory:.0f} | {memory / base[3]:.2f} | {median} | {p99} |")
    table = "\n".join(lines)
    print(table)
    with open(os.path.join(args.work, "growth.md"), "w") as out:
        out.write(f"Growth study, median of {args.runs} builds, {args.passes} query passes.\n\n{table}\n")


if __name__ == "__main__":
    main()
