#!/usr/bin/env python3
"""Compare BaySearch with SQLite FTS5, tantivy and Xapian on the same corpus and queries.

Every engine builds its index from Benchmarks/work/corpus.jsonl (made by make_corpus.py)
`--runs` times, in rounds of one build per engine so that the machine's slow minutes fall
on all of them, the median build time being reported with the median of the rounds' time
ratios to BaySearch; then each answers every query of Benchmarks/queries.txt in
`--passes` rounds of one timed pass per engine, each after a warm-up pass. Each engine's hit
count is printed next to the true count: a naive scan of the corpus that implements
BaySearch's matching semantics without using any of its code.

    python3 Benchmarks/make_corpus.py
    python3 Benchmarks/compare_peers.py [--runs 3] [--passes 5]

The peers are installed on first use: python3-xapian (with python3-venv) by apt-get, and
tantivy from PyPI into Benchmarks/work/venv, a virtual environment of Debian's
/usr/bin/python3 that also sees python3-xapian. The script then runs itself there. The
table goes to standard output and to Benchmarks/work/results.md.
"""

import argparse
import bisect
import json
import math
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata

BENCHMARKS = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCHMARKS)
DEFAULT_WORK = os.path.join(BENCHMARKS, "work")
SCRATCH = os.path.join(REPO, ".build-bench")
TRAD_SIMP_TABLE = os.path.join(REPO, "Sources", "CICU", "trad_simp_table.h")
SYSTEM_PYTHON = "/usr/bin/python3"
HITS_SHOWN = 10  # every engine fetches this many top hits per query, like `--limit 10`


# ---------------------------------------------------------------------------------------
# Environment

def run_quietly(command, **kwargs):
    """Run `command`, showing its output only if it fails."""
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)
    if done.returncode != 0:
        sys.stderr.write(done.stdout)
        raise SystemExit(f"failed: {' '.join(command)}")


def succeeds(command, **kwargs):
    """Whether `command` exits 0 (its output discarded)."""
    return subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs).returncode == 0


def ensure_peers(venv):
    """Install what the peers need unless it is there: python3-xapian and python3-venv
    from Debian, and a virtual environment `venv` of /usr/bin/python3 (seeing its system
    packages) with tantivy from PyPI. Returns the environment's python."""
    if not succeeds([SYSTEM_PYTHON, "-c", "import xapian, ensurepip"]):
        log("installing python3-xapian python3-venv (apt-get)")
        install = ["apt-get", "install", "-y", "python3-xapian", "python3-venv"]
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        if not succeeds(install, env=env):
            run_quietly(["apt-get", "update"], env=env)
        run_quietly(install, env=env)
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        log(f"creating {venv}")
        run_quietly([SYSTEM_PYTHON, "-m", "venv", "--system-site-packages", venv])
    if not succeeds([python, "-c", "import tantivy"]):
        log("installing tantivy (pip)")
        run_quietly([python, "-m", "pip", "install", "--quiet", "tantivy"])
    return python


def build_baysearch():
    """Build the release CLI into .build-bench (incrementally), with the Swift runtime and
    Foundation linked statically (it halves process start-up); return its path."""
    log("building baysearch (swift build -c release --static-swift-stdlib)")
    run_quietly(["swift", "build", "-c", "release", "--static-swift-stdlib", "--scratch-path", SCRATCH,
                 "--product", "baysearch"], cwd=REPO)
    return os.path.join(SCRATCH, "release", "baysearch")


def log(message):
    """A progress line on standard error."""
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------
# The true count: BaySearch's matching semantics, implemented naively

# Code points that are each a unit of their own (CJK ideographs, kana, Hangul, ...).
IDEOGRAPH_RANGES = [
    (0x1100, 0x11FF), (0x2E80, 0x2FDF), (0x3005, 0x3007), (0x3021, 0x3029), (0x3038, 0x303B),
    (0x3041, 0x30FF), (0x3105, 0x312F), (0x3131, 0x318E), (0x31A0, 0x31BF), (0x31F0, 0x31FF),
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xF900, 0xFAFF),
    (0xFF66, 0xFF9F), (0x1B000, 0x1B16F), (0x20000, 0x3FFFD),
]
# Default_Ignorable_Code_Point (Unicode 15): ICU's NFKC_Casefold maps these to nothing,
# which Python's NFKC + casefold does not (soft hyphen, zero-width space, BOM, ...).
DEFAULT_IGNORABLE_RANGES = [
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
]

WHITESPACE, IDEOGRAPH, ALPHANUMERIC, BOUNDARY = range(4)
# Markers of the canonical form (control characters, so never part of a unit).
RUN_OPEN, RUN_CLOSE = "\x01", "\x03"  # enclose a run of alphanumerics
GAP = "\x02"  # boundary characters stood between two units: a position of its own


def load_trad_simp(path):
    """{traditional code point: simplified code point} from trad_simp_table.h."""
    with open(path, encoding="utf-8") as f:
        return {int(t, 16): int(s, 16) for t, s in re.findall(r"\{0x([0-9A-Fa-f]+),\s*0x([0-9A-Fa-f]+)\}", f.read())}


def in_ranges(code, ranges):
    """Whether `code` lies in one of the sorted, disjoint `(first, last)` ranges."""
    i = bisect.bisect_right(ranges, (code, sys.maxunicode + 1)) - 1
    return i >= 0 and code <= ranges[i][1]


def classify(char):
    """WHITESPACE, IDEOGRAPH, ALPHANUMERIC or BOUNDARY for one folded character."""
    if char.isspace():
        return WHITESPACE
    if in_ranges(ord(char), IDEOGRAPH_RANGES):
        return IDEOGRAPH
    if char.isalpha() or unicodedata.category(char)[0] in "NM":
        return ALPHANUMERIC
    return BOUNDARY


class NaiveMatcher:
    """BaySearch's matching semantics on canonical strings.

    A text's canonical string holds one token per position: each ideograph stands for
    itself, each run of alphanumerics is enclosed in RUN_OPEN/RUN_CLOSE (so `cepa` is
    not found inside `cepax`), and GAP stands wherever boundary characters stand between
    two units; whitespace leaves no trace. A query part occurs where its canonical string
    occurs in the document's: punctuation in a query matches punctuation, nothing else.
    """

    def __init__(self, trad_simp):
        self.trad_simp = trad_simp
        self.folded = {}  # code point -> [(class, folded character)]

    def fold(self, char):
        """[(class, character)] for one input code point: NFKC, case fold, NFKC, default
        ignorables dropped (together ICU's NFKC_Casefold), then Traditional -> Simplified
        per resulting character."""
        result = self.folded.get(char)
        if result is None:
            text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", char).casefold())
            result = []
            for c in text:
                if in_ranges(ord(c), DEFAULT_IGNORABLE_RANGES):
                    continue
                c = chr(self.trad_simp.get(ord(c), ord(c)))
                result.append((classify(c), c))
            self.folded[char] = result
        return result

    def canonical(self, text):
        """The canonical unit string of `text`."""
        out = []
        run = []
        gap = False
        seen_unit = False

        def unit(token):
            nonlocal gap, seen_unit
            if gap and seen_unit:
                out.append(GAP)
            out.append(token)
            gap = False
            seen_unit = True

        for char in text:
            for kind, c in self.fold(char):
                if kind == ALPHANUMERIC:
                    run.append(c)
                    continue
                if run:
                    unit(RUN_OPEN + "".join(run) + RUN_CLOSE)
                    run = []
                if kind == IDEOGRAPH:
                    unit(c)
                elif kind == BOUNDARY:
                    gap = True
        if run:
            unit(RUN_OPEN + "".join(run) + RUN_CLOSE)
        return "".join(out)

    def part_test(self, part):
        """A function canonical document -> whether the query part occurs in it, or
        None if the part has no unit."""
        canonical = self.canonical(part)
        if not canonical:
            return None
        return lambda document: canonical in document

    def query_tests(self, query):
        """The tests of a query's whitespace-separated parts (all must pass)."""
        return [t for t in (self.part_test(part) for part in query.split()) if t]


# (query, document text, whether it matches): the semantics' defining examples.
MATCHER_EXAMPLES = [
    ("港珠澳大橋", "港珠澳\n\n大桥", True),
    ("港珠澳大橋", "港珠澳大桥", True),
    ("橋", "大橋", True),
    ("CEPA", "cepa", True),
    ("CEPA", "CEPAX", False),
    ("香港青年", "香港，青年", False),
    ("香港 青年", "香港，青年", True),
    ("香港，青年", "香港：青年", True),
    ("工具-选项", "工具栏选项", False),
]


def check_matcher(matcher):
    """Stop if the matcher gets one of MATCHER_EXAMPLES wrong."""
    for query, text, expected in MATCHER_EXAMPLES:
        document = matcher.canonical(text)
        if all(test(document) for test in matcher.query_tests(query)) != expected:
            raise SystemExit(f"naive matcher: {query!r} in {text!r} should be {expected}")


def true_counts(corpus, queries):
    """For each query, how many documents of `corpus` match it under BaySearch's
    semantics, by scanning every document."""
    matcher = NaiveMatcher(load_trad_simp(TRAD_SIMP_TABLE))
    check_matcher(matcher)
    documents = [matcher.canonical(d["text"]) for d in read_corpus(corpus)]
    counts = []
    for query in queries:
        tests = matcher.query_tests(query)
        counts.append(sum(1 for doc in documents if all(test(doc) for test in tests)))
    return counts


# ---------------------------------------------------------------------------------------
# Engines

def read_corpus(path):
    """The corpus's documents, one dict per JSONL line."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def directory_size(path):
    """Bytes of all files below `path`."""
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files)


class Engine:
    """An engine under test. Subclasses build an index and open it for searching; the
    query loop here times each query's parse + search + count + top-hit fetch."""

    name = ""
    slug = ""
    how = ""  # how documents are tokenised and queries run, for the report

    def build(self, corpus, index_dir):
        """Index every document's text (id, title and text stored) into `index_dir`."""
        raise NotImplementedError

    def open(self, index_dir):
        """A function query -> number of matching documents (it also fetches the top
        HITS_SHOWN hits' ids)."""
        raise NotImplementedError

    def search_all(self, index_dir, queries, passes):
        """`(totals, latencies in µs)`: each query's count, and its time in each of
        `passes` timed passes after one warm-up pass."""
        search = self.open(index_dir)
        latencies = []
        for round_ in range(passes + 1):
            totals = []
            for query in queries:
                start = time.perf_counter_ns()
                totals.append(search(query))
                if round_ > 0:
                    latencies.append((time.perf_counter_ns() - start) / 1000)
        return totals, latencies

    def size_details(self, index_dir):
        """Extra words about the index's files, for the report."""
        return ""

    def process_details(self, index_dir, queries):
        """Extra words about whole-process search time, for the report."""
        return ""


class BaySearch(Engine):
    """The `baysearch` CLI: `index` to build, `search --json --queries` to query."""

    name = "BaySearch"
    slug = "baysearch"
    how = ("Units (ideographs, alphanumeric runs) after NFKC case folding and Traditional→"
           "Simplified; a part matches at the same relative unit positions. Latency: the "
           "CLI's `took_us` (parse + search: count, top-10 hits and their match offsets; "
           "snippets are cut after the clock stops), in one process.")

    def __init__(self, binary):
        self.binary = binary

    def build(self, corpus, index_dir):
        """Run `baysearch index`."""
        run_quietly([self.binary, "index", "--index", index_dir, corpus])

    def search_all(self, index_dir, queries, passes):
        """Run every pass in one `baysearch search --json --queries` process; the first
        pass warms up."""
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt") as f:
            f.write("".join(q + "\n" for q in queries) * (passes + 1))
            f.flush()
            done = subprocess.run(
                [self.binary, "search", "--index", index_dir, "--limit", str(HITS_SHOWN), "--json", "--queries", f.name],
                capture_output=True, text=True, check=True)
        results = [json.loads(line) for line in done.stdout.splitlines()]
        if len(results) != len(queries) * (passes + 1):
            raise SystemExit(f"baysearch answered {len(results)} lines for {len(queries) * (passes + 1)} queries")
        totals = [r.get("total") for r in results[-len(queries):]]
        latencies = [r["took_us"] for r in results[len(queries):]]
        return totals, latencies

    def process_details(self, index_dir, queries):
        """Median wall time of one `baysearch search --json QUERY` process per query, start-up
        and output included, over three passes."""
        times = []
        for _ in range(3):
            for query in queries:
                start = time.perf_counter()
                subprocess.run([self.binary, "search", "--index", index_dir, "--json", "--", query],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                times.append(time.perf_counter() - start)
        bare = []
        for _ in range(20):
            start = time.perf_counter()
            subprocess.run([self.binary, "--help"], stdout=subprocess.DEVNULL)
            bare.append(time.perf_counter() - start)
        return (f"a whole `baysearch search --json QUERY` process takes {statistics.median(times) * 1000:.1f} ms "
                f"(median of {len(times)}; p99 {percentile(times, 0.99) * 1000:.1f} ms), of which process "
                f"start-up alone (`baysearch --help`) is {statistics.median(bare) * 1000:.1f} ms")

    def size_details(self, index_dir):
        """How many segment files, and their share of the index."""
        segments = [f for f in os.listdir(index_dir) if f.startswith("seg-") and f.endswith(".bay")]
        size = sum(os.path.getsize(os.path.join(index_dir, f)) for f in segments)
        return f"{len(segments)} segment files (seg-*.bay), {size / 1e6:.1f} MB"


class SQLiteFTS5(Engine):
    """SQLite FTS5 with the trigram tokenizer (Python's sqlite3)."""

    name = "SQLite FTS5 trigram"
    slug = "fts5"
    how = ("`tokenize='trigram'` (case-insensitive), `optimize` after loading. Parts of >= 3 "
           "characters: `MATCH '\"part\"'` (substring); shorter parts: `text LIKE '%part%'` "
           "(a scan: trigrams cannot serve them). Latency: count(*) + top-10 by rank.")

    def build(self, corpus, index_dir):
        """One transaction of inserts, then `optimize` (merge into one b-tree)."""
        os.makedirs(index_dir)
        db = sqlite3.connect(os.path.join(index_dir, "fts5.db"))
        db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title UNINDEXED, text, tokenize='trigram')")
        with db:
            db.executemany("INSERT INTO docs (id, title, text) VALUES (?, ?, ?)",
                           ((d["id"], d["title"], d["text"]) for d in read_corpus(corpus)))
        with db:
            db.execute("INSERT INTO docs (docs) VALUES ('optimize')")
        db.close()

    def open(self, index_dir):
        """Each part is a MATCH phrase (>= 3 characters) or a LIKE pattern; all ANDed."""
        db = sqlite3.connect(os.path.join(index_dir, "fts5.db"))

        def search(query):
            phrases, conditions, params = [], [], []
            for part in query.split():
                if len(part) >= 3:
                    phrases.append('"' + part.replace('"', '""') + '"')
                else:
                    conditions.append("text LIKE ? ESCAPE '\\'")
                    params.append("%" + re.sub(r"([\\%_])", r"\\\1", part) + "%")
            if phrases:
                conditions.insert(0, "docs MATCH ?")
                params.insert(0, " AND ".join(phrases))
            where = " AND ".join(conditions)
            total = db.execute(f"SELECT count(*) FROM docs WHERE {where}", params).fetchone()[0]
            order = " ORDER BY rank" if phrases else ""
            db.execute(f"SELECT id, title FROM docs WHERE {where}{order} LIMIT {HITS_SHOWN}", params).fetchall()
            return total

        return search


class Tantivy(Engine):
    """tantivy (PyPI `tantivy`) with a character-bigram tokenizer."""

    name = "tantivy bigram"
    slug = "tantivy"
    how = ("`Tokenizer.ngram(min_gram=2, max_gram=2)` over the whole text + lowercase; the "
           "binding gives every n-gram position 0, so the query parser's phrase of a part's "
           "bigrams only requires them all to occur somewhere. One-character parts make no "
           "bigram: they run as a regex over the bigram terms (`X.|.X`). Latency: top-10 + count.")

    TOKENIZER = "bigram"

    def __init__(self):
        import tantivy
        self.tantivy = tantivy

    def analyzer(self):
        """Character bigrams, lowercased."""
        t = self.tantivy
        return t.TextAnalyzerBuilder(t.Tokenizer.ngram(min_gram=2, max_gram=2, prefix_only=False)) \
            .filter(t.Filter.lowercase()).build()

    def schema(self):
        """id and title stored as single terms; text stored and bigram-indexed."""
        builder = self.tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("title", stored=True, tokenizer_name="raw")
        builder.add_text_field("text", stored=True, tokenizer_name=self.TOKENIZER, index_option="position")
        return builder.build()

    def build(self, corpus, index_dir):
        """Add every document with the default writer, commit, wait for merges."""
        os.makedirs(index_dir)
        index = self.tantivy.Index(self.schema(), path=index_dir)
        index.register_tokenizer(self.TOKENIZER, self.analyzer())
        writer = index.writer()
        for d in read_corpus(corpus):
            writer.add_document(self.tantivy.Document(id=d["id"], title=d["title"], text=d["text"]))
        writer.commit()
        writer.wait_merging_threads()

    def open(self, index_dir):
        """Each part is the query parser's quoted phrase (or a regex for one character);
        all parts are Must clauses."""
        t = self.tantivy
        index = t.Index.open(index_dir)
        index.register_tokenizer(self.TOKENIZER, self.analyzer())
        index.reload()
        searcher = index.searcher()
        schema = self.schema()

        def part_query(part):
            if len(part) == 1:
                c = re.escape(part.lower())
                return t.Query.regex_query(schema, "text", f"(?s){c}.|.{c}")
            return index.parse_query('"' + part.replace('"', "").replace("\\", "") + '"', ["text"])

        def search(query):
            q = t.Query.boolean_query([(t.Occur.Must, part_query(p)) for p in query.split()])
            result = searcher.search(q, HITS_SHOWN, count=True)
            for _, address in result.hits:
                searcher.doc(address)["id"]
            return result.count

        return search


class Xapian(Engine):
    """Xapian (Debian's python3-xapian) with its CJK n-gram mode."""

    name = "Xapian CJK n-gram"
    slug = "xapian"
    how = ("`TermGenerator` with `FLAG_CJK_NGRAM` (CJK unigrams + bigrams, words otherwise); "
           "each part through `QueryParser` with `FLAG_DEFAULT | FLAG_CJK_NGRAM` (a CJK part "
           "becomes an AND of its n-grams), parts ANDed. Latency: top-10 + exact count.")

    def __init__(self):
        import xapian
        self.xapian = xapian

    def build(self, corpus, index_dir):
        """Add every document (id, title, text as JSON data), commit."""
        x = self.xapian
        db = x.WritableDatabase(index_dir, x.DB_CREATE_OR_OVERWRITE)
        generator = x.TermGenerator()
        generator.set_flags(x.TermGenerator.FLAG_CJK_NGRAM)
        for d in read_corpus(corpus):
            doc = x.Document()
            generator.set_document(doc)
            generator.index_text(d["text"])
            doc.set_data(json.dumps(d, ensure_ascii=False))
            db.add_document(doc)
        db.commit()
        db.close()

    def open(self, index_dir):
        """Parts parsed one by one and ANDed; the count is exact (checkatleast = all)."""
        x = self.xapian
        db = x.Database(index_dir)
        enquire = x.Enquire(db)
        parser = x.QueryParser()
        flags = x.QueryParser.FLAG_DEFAULT | x.QueryParser.FLAG_CJK_NGRAM
        everything = db.get_doccount()

        def search(query):
            parts = [parser.parse_query(p, flags) for p in query.split()]
            enquire.set_query(x.Query(x.Query.OP_AND, parts))
            matches = enquire.get_mset(0, HITS_SHOWN, everything)
            for match in matches:
                match.document.get_data()
            return matches.get_matches_estimated()

        return search


# ---------------------------------------------------------------------------------------
# Measuring and reporting

def percentile(values, fraction):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def build_all(engines, corpus, work, runs):
    """Build every engine's index `runs` times, in rounds of one build each (the order
    rotating), so that a slow minute on this shared machine slows every engine alike.
    Returns each engine's build times by slug, in round order."""
    seconds = {engine.slug: [] for engine in engines}
    for run in range(runs):
        shift = run % len(engines)
        for engine in engines[shift:] + engines[:shift]:
            index_dir = os.path.join(work, "indexes", engine.slug)
            shutil.rmtree(index_dir, ignore_errors=True)
            start = time.perf_counter()
            engine.build(corpus, index_dir)
            seconds[engine.slug].append(time.perf_counter() - start)
            log(f"  {engine.name}: build {run + 1}/{runs} {seconds[engine.slug][-1]:.2f} s")
    return seconds


def query_all(engines, queries, work, passes):
    """Time every engine's queries in `passes` rounds of one timed pass per engine (each
    after a warm-up pass of its own), the order rotating as in `build_all`. Returns each
    engine's hit counts and its latencies (µs) by slug."""
    totals = {}
    latencies = {engine.slug: [] for engine in engines}
    for run in range(passes):
        shift = run % len(engines)
        for engine in engines[shift:] + engines[:shift]:
            start = time.perf_counter()
            totals[engine.slug], timed = engine.search_all(os.path.join(work, "indexes", engine.slug), queries, 1)
            latencies[engine.slug] += timed
            log(f"  {engine.name}: pass {run + 1}/{passes}, {len(timed)} timed queries in {time.perf_counter() - start:.2f} s")
    return totals, latencies


def measure(engine, queries, work, builds, totals, latencies):
    """The engine's figures, from its builds and query times and its last index."""
    index_dir = os.path.join(work, "indexes", engine.slug)
    return {
        "engine": engine,
        "build": statistics.median(builds),
        "builds": builds,
        "size": directory_size(index_dir),
        "size_details": engine.size_details(index_dir),
        "process_details": engine.process_details(index_dir, queries),
        "median": statistics.median(latencies),
        "p99": percentile(latencies, 0.99),
        "latencies": latencies,
        "totals": totals,
    }


def markdown_table(header, rows, right=()):
    """A Markdown table; columns whose index is in `right` are right-aligned."""
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def report(results, queries, truth, corpus, documents, runs, passes):
    """The results as Markdown: the engine table, the per-query counts, notes."""
    corpus_mb = os.path.getsize(corpus) / 1e6
    lines = [
        f"Corpus: {os.path.basename(corpus)}, {documents} documents, {corpus_mb:.1f} MB of JSONL. "
        f"Build: median of {runs} rounds, one build per engine each (MB/s = corpus MB / build s). "
        f"Latency: {len(queries)} queries x {passes} timed passes, in rounds of one pass per engine, "
        f"each after a warm-up pass.",
        "",
        markdown_table(
            ["engine", "build s", "MB/s", "index MB", "median µs", "p99 µs"],
            [[r["engine"].name, f"{r['build']:.2f}", f"{corpus_mb / r['build']:.1f}",
              f"{r['size'] / 1e6:.1f}", f"{r['median']:.0f}", f"{r['p99']:.0f}"] for r in results],
            right=range(1, 6)),
        "",
    ]
    lines += [f"- {r['engine'].name} index: {r['size_details']}" for r in results if r["size_details"]]
    lines += [f"- {r['engine'].name}: {r['process_details']}" for r in results if r["process_details"]]
    lines += [f"- {r['engine'].name} builds: " + ", ".join(f"{s:.2f}" for s in r["builds"]) + " s" for r in results]
    ours = next((r for r in results if isinstance(r["engine"], BaySearch)), None)
    if ours:
        paired = [f"{r['engine'].name} {statistics.median(p / b for p, b in zip(r['builds'], ours['builds'])):.2f}x"
                  for r in results if r is not ours]
        if paired:
            lines.append("- Build time over BaySearch's, round by round (median of the rounds' ratios): "
                         + ", ".join(paired))

        def pass_medians(r):
            n = len(queries)
            return [statistics.median(r["latencies"][i:i + n]) for i in range(0, len(r["latencies"]), n)]
        paired = [f"{r['engine'].name} {statistics.median(p / b for p, b in zip(pass_medians(r), pass_medians(ours))):.2f}x"
                  for r in results if r is not ours]
        if paired:
            lines.append("- Median query time over BaySearch's, pass by pass (median of the passes' ratios): "
                         + ", ".join(paired))
    lines.append("")
    rows = []
    for i, query in enumerate(queries):
        cells = [f"{r['totals'][i]}" + ("" if r["totals"][i] == truth[i] else " ≠") for r in results]
        rows.append([f"`{query}`", truth[i], *cells])
    lines += ["Hits per query (≠: differs from the true count):", "",
              markdown_table(["query", "true", *(r["engine"].name for r in results)], rows,
                             right=range(1, len(results) + 2)), ""]
    lines += ["How each engine tokenises and queries:", ""]
    lines += [f"- **{r['engine'].name}**: {r['engine'].how}" for r in results]
    lines.append("- **true**: a naive scan of every document with BaySearch's matching semantics "
                 "(compare_peers.py's NaiveMatcher), independent of BaySearch's code.")
    wrong = [(q, truth[i], r["totals"][i]) for r in results if isinstance(r["engine"], BaySearch)
             for i, q in enumerate(queries) if r["totals"][i] != truth[i]]
    if wrong:
        lines += ["", "**BaySearch disagrees with the true count:** "
                  + "; ".join(f"`{q}` true {t}, BaySearch {b}" for q, t, b in wrong)]
    return "\n".join(lines) + "\n"


def read_queries(path):
    """The queries of `path`, one a line (blank lines skipped)."""
    with open(path, encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip()]


def main():
    """Set up the peers, measure every engine, print and save the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", default=DEFAULT_WORK, help="work directory (default: Benchmarks/work)")
    parser.add_argument("--corpus", help="JSONL corpus (default: WORK/corpus.jsonl)")
    parser.add_argument("--queries", default=os.path.join(BENCHMARKS, "queries.txt"), help="query file")
    parser.add_argument("--runs", type=int, default=3, help="builds per engine; the median is reported (default 3)")
    parser.add_argument("--passes", type=int, default=5, help="timed passes over the queries (default 5)")
    parser.add_argument("--baysearch", help="a baysearch binary to use instead of building .build-bench's")
    parser.add_argument("--engines", default="baysearch,fts5,tantivy,xapian",
                        help="comma-separated subset of baysearch,fts5,tantivy,xapian")
    args = parser.parse_args()
    work = os.path.abspath(args.work)
    venv = os.path.join(work, "venv")
    if os.path.realpath(sys.prefix) != os.path.realpath(venv):
        python = ensure_peers(venv)
        os.execv(python, [python, os.path.abspath(__file__), *sys.argv[1:]])

    corpus = os.path.abspath(args.corpus or os.path.join(work, "corpus.jsonl"))
    if not os.path.exists(corpus):
        raise SystemExit(f"{corpus} is missing: run python3 Benchmarks/make_corpus.py first")
    if sqlite3.sqlite_version_info < (3, 34, 0):
        raise SystemExit(f"SQLite {sqlite3.sqlite_version} has no trigram tokenizer (3.34 or later needed)")
    queries = read_queries(args.queries)
    chosen = args.engines.split(",")
    factories = {
        "baysearch": lambda: BaySearch(args.baysearch or build_baysearch()),
        "fts5": SQLiteFTS5,
        "tantivy": Tantivy,
        "xapian": Xapian,
    }
    engines = [factories[name]() for name in chosen]

    start = time.perf_counter()
    truth = true_counts(corpus, queries)
    log(f"true counts by naive scan: {time.perf_counter() - start:.1f} s")
    builds = build_all(engines, corpus, work, args.runs)
    totals, latencies = query_all(engines, queries, work, args.passes)
    results = [measure(engine, queries, work, builds[engine.slug], totals[engine.slug], latencies[engine.slug])
               for engine in engines]

    documents = sum(1 for _ in read_corpus(corpus))
    text = report(results, queries, truth, corpus, documents, args.runs, args.passes)
    with open(os.path.join(work, "results.md"), "w", encoding="utf-8") as f:
        f.write(text)
    print(text, end="")


if __name__ == "__main__":
    main()
