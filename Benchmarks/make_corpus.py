#!/usr/bin/env python3
"""Assemble BaySearch's mixed-script benchmark corpus from Debian's Chinese documentation.

The packages are fetched with `apt-get download` and unpacked with `dpkg-deb -x` into the
work directory (nothing is installed). Every LibreOffice help page, man page and Debian
Reference section becomes one JSONL line `{"id", "title", "text"}` of plain text in
`WORK/corpus.jsonl`; about half of the corpus is Simplified, half Traditional Chinese.

    python3 Benchmarks/make_corpus.py            # WORK/corpus.jsonl
    python3 Benchmarks/make_corpus.py --scale 4  # also WORK/corpus-x4.jsonl (4 copies)
"""

import argparse
import collections
import glob
import gzip
import html
import html.parser
import json
import os
import re
import subprocess
import sys

BENCHMARKS = os.path.dirname(os.path.abspath(__file__))
DEFAULT_WORK = os.path.join(BENCHMARKS, "work")

PACKAGES = [
    "libreoffice-help-zh-cn",
    "libreoffice-help-zh-tw",
    "manpages-zh",
    "debian-reference-zh-cn",
    "debian-reference-zh-tw",
]

# Elements whose start and end break a line of text.
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre",
    "section", "table", "td", "th", "tr", "ul",
}
# Elements that have no end tag, so they never enclose text.
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# Elements whose content is not text a reader sees.
SKIPPED_TAGS = {"head", "script", "style", "noscript"}
# Debian Reference: navigation bars and tables of contents are not section text.
SKIPPED_CLASSES = {"navheader", "navfooter", "toc"}


class HTMLText(html.parser.HTMLParser):
    """Plain text of an HTML page, cut into sections at headings of level <= `split_level`.

    `sections` is a list of `[title, text]`; the first one (title "") holds what comes
    before the first such heading. A heading's text is its section's title and also the
    first line of its text.
    """

    def __init__(self, split_level=0):
        super().__init__(convert_charrefs=True)
        self.split_level = split_level
        self.sections = [["", []]]
        self._open = []          # tags opened inside a skipped element, to find its end
        self._skipping = False
        self._heading = None     # the title being read, while inside a splitting heading

    def handle_starttag(self, tag, attrs):
        """Track skipped elements, start a section at a splitting heading, break blocks."""
        if self._skipping:
            if tag not in VOID_TAGS:
                self._open.append(tag)
            return
        classes = set((dict(attrs).get("class") or "").split())
        if tag in SKIPPED_TAGS or classes & SKIPPED_CLASSES:
            if tag not in VOID_TAGS:
                self._skipping = True
                self._open = [tag]
            return
        if re.fullmatch(r"h[1-6]", tag) and int(tag[1]) <= self.split_level:
            self.sections.append(["", []])
            self._heading = []
        if tag in BLOCK_TAGS:
            self.sections[-1][1].append("\n")

    def handle_startendtag(self, tag, attrs):
        """An XHTML `<br/>` or `<hr/>` breaks a line like its HTML form."""
        if not self._skipping and tag in BLOCK_TAGS:
            self.sections[-1][1].append("\n")

    def handle_endtag(self, tag):
        """Leave skipped elements, finish a heading's title, break blocks."""
        if self._skipping:
            if tag in self._open:
                while self._open.pop() != tag:
                    pass
            self._skipping = bool(self._open)
            return
        if self._heading is not None and re.fullmatch(r"h[1-6]", tag):
            self.sections[-1][0] = collapse_space("".join(self._heading))
            self._heading = None
        if tag in BLOCK_TAGS:
            self.sections[-1][1].append("\n")

    def handle_data(self, data):
        """Keep text outside skipped elements."""
        if self._skipping:
            return
        self.sections[-1][1].append(data)
        if self._heading is not None:
            self._heading.append(data)

    def texts(self):
        """The sections as `(title, plain text)`, dropping those without any text."""
        result = []
        for title, parts in self.sections:
            text = tidy_lines("".join(parts))
            if text:
                result.append((title, text))
        return result


def collapse_space(text):
    """`text` on one line, runs of whitespace made one space."""
    return " ".join(text.split())


def tidy_lines(text):
    """Strip each line, drop empty lines."""
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def html_sections(markup, split_level=0):
    """`(title, text)` sections of an HTML page (one section if `split_level` is 0)."""
    parser = HTMLText(split_level)
    parser.feed(markup)
    parser.close()
    return parser.texts()


# ---------------------------------------------------------------------------------------
# Fetching

def downloaded(debs):
    """{package: its newest .deb in `debs`} for the packages already downloaded."""
    found = {}
    for package in PACKAGES:
        matches = sorted(glob.glob(os.path.join(debs, package + "_*.deb")))
        if matches:
            found[package] = matches[-1]
    return found


def fetch_packages(work):
    """Download the packages into WORK/debs (those not there yet; `apt-get update` first
    if apt cannot find them) and unpack them into WORK/root unless already done."""
    debs = os.path.join(work, "debs")
    root = os.path.join(work, "root")
    os.makedirs(debs, exist_ok=True)
    missing = [p for p in PACKAGES if p not in downloaded(debs)]
    if missing:
        print("downloading " + " ".join(missing), file=sys.stderr)
        download = ["apt-get", "download", *missing]
        if subprocess.run(download, cwd=debs).returncode != 0:
            subprocess.run(["apt-get", "update"], check=True)
            subprocess.run(download, cwd=debs, check=True)
    found = downloaded(debs)
    stamp = os.path.join(root, ".unpacked")
    wanted = "\n".join(os.path.basename(found[p]) for p in PACKAGES)
    if not os.path.exists(stamp) or open(stamp).read() != wanted:
        os.makedirs(root, exist_ok=True)
        for package in PACKAGES:
            subprocess.run(["dpkg-deb", "-x", found[package], root], check=True)
        with open(stamp, "w") as f:
            f.write(wanted)


# ---------------------------------------------------------------------------------------
# LibreOffice help: one HTML page per help topic

def libreoffice_documents(root, lang):
    """One document per LibreOffice help page of `lang` (zh-CN or zh-TW): the text of the
    page's display area, titled by its <title>."""
    base = os.path.join(root, "usr/share/libreoffice/help", lang)
    for path in sorted(glob.glob(os.path.join(base, "text/**/*.html"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            page = f.read()
        title = re.search(r"<title>(.*?)</title>", page, re.S)
        start = page.find('<div id="DisplayArea"')
        end = page.find('<div id="SearchFrame"')
        if start < 0:
            continue
        body = page[start:end if end > start else len(page)]
        text = "\n".join(text for _, text in html_sections(body))
        if text:
            rel = os.path.relpath(path, base)[: -len(".html")]
            yield {
                "id": f"libreoffice/{lang}/{rel}",
                "title": collapse_space(html.unescape(title.group(1))) if title else rel,
                "text": text,
            }


# ---------------------------------------------------------------------------------------
# Man pages: roff, gzip-compressed

# Requests (lower-case names) are dropped; so are these macros, which carry no text.
ROFF_STRUCTURAL_MACROS = {
    "TH", "PP", "LP", "P", "HP", "RS", "RE", "PD", "DT", "UC", "TS", "TE", "EX", "EE", "DS", "DE",
    "Dd", "Dt", "Os", "Pp", "Bl", "El", "Bd", "Ed", "Bk", "Ek", "Sm", "Vb", "Ve", "Sp", "IX",
}
# Alternating-font macros: their arguments are joined without spaces.
ROFF_JOINED_MACROS = {"BR", "BI", "IB", "IR", "RB", "RI"}
# mdoc macro names that may stand among another mdoc macro's arguments.
MDOC_CALLABLE = {
    "Ac", "Ad", "An", "Ao", "Aq", "Ar", "At", "Bc", "Bo", "Bq", "Bx", "Cd", "Cm", "Dc", "Do",
    "Dq", "Dv", "Em", "Er", "Ev", "Fa", "Fl", "Fn", "Ft", "Fx", "Ic", "Li", "Nm", "No", "Ns",
    "Oc", "Oo", "Op", "Pa", "Pc", "Pf", "Po", "Pq", "Qc", "Ql", "Qo", "Qq", "Sc", "So", "Sq",
    "St", "Sx", "Sy", "Ta", "Tn", "Ux", "Va", "Xc", "Xo", "Xr",
}
# The heading of a man page's NAME section, in the forms this package uses.
NAME_HEADING = re.compile(r"(?:NAME|名\s*[称稱字]|命令名)(?:\W|$)", re.I)
ROFF_NAMED_CHARS = {
    "em": "—", "en": "–", "hy": "-", "bu": "•", "co": "©", "rg": "®", "tm": "™",
    "lq": "“", "rq": "”", "oq": "‘", "cq": "’", "aq": "'", "dq": '"', "mi": "-", "pl": "+",
    "mu": "×", "di": "÷", "<=": "≤", ">=": "≥", "!=": "≠", "->": "→", "<-": "←", "de": "°",
}
ROFF_ESCAPE = re.compile(
    r"""\\(?:
        f(?:\[[^\]]*\]|\(..|.)      # font change
      | \*(?:\[[^\]]*\]|\(..|.)     # string interpolation
      | s[-+]?\d                    # size change
      | \((?P<named>..)             # named character \(xx
      | \[(?P<bracketed>[^\]]*)\]   # named character \[xx]
      | (?P<char>.)                 # one-character escape
    )""",
    re.X,
)


def roff_escape(match):
    """Replacement text for one roff escape sequence."""
    name = match.group("named") or match.group("bracketed")
    if name is not None:
        return ROFF_NAMED_CHARS.get(name, "")
    char = match.group("char")
    if char is None:
        return ""
    return {"-": "-", "e": "\\", "\\": "\\", " ": " ", "~": " ", "0": " ", "t": "\t", "'": "'", "`": "`", ".": "."}.get(char, "")


def roff_arguments(line):
    """The arguments of a roff request line, with double quotes honoured."""
    return [a[1:-1] if a.startswith('"') else a for a in re.findall(r'"[^"]*"?|\S+', line)]


def roff_to_text(source):
    """Plain text of a man page: requests and structural macros dropped, other macros
    kept as their arguments, escapes resolved. Returns `(name line, text)`; the name line
    is the first line of the NAME section (`ls - 列出目录内容`)."""
    lines = []
    in_definition = False
    for raw in source.splitlines():
        line = re.sub(r'\\".*', "", raw)          # trailing comments
        if in_definition:
            in_definition = not line.startswith("..")
            continue
        if line[:1] in (".", "'"):
            parts = line[1:].strip().split(None, 1)
            if not parts:
                continue
            macro, rest = parts[0], (parts[1] if len(parts) > 1 else "")
            if macro in ("de", "am", "ig"):
                in_definition = True
                continue
            if macro[0].islower() or macro in ROFF_STRUCTURAL_MACROS:
                continue
            args = roff_arguments(rest)
            if macro in ROFF_JOINED_MACROS:
                line = "".join(args)
            elif macro == "IP":
                line = args[0] if args else ""
            else:
                line = " ".join(a for a in args if a not in MDOC_CALLABLE)
            if macro in ("SH", "Sh"):
                line = "\n" + line
        line = ROFF_ESCAPE.sub(roff_escape, line).strip()
        if line:
            lines.append(line)
    text = tidy_lines("\n".join(lines))
    name = ""
    body = text.splitlines()
    for i, line in enumerate(body[:-1]):
        if len(line) < 20 and NAME_HEADING.match(line):
            name = collapse_space(body[i + 1])
            break
    return name, text


def man_documents(root, lang):
    """One document per man page of `lang` (zh_CN or zh_TW); symbolic links (aliases of
    another page) are left out."""
    base = os.path.join(root, "usr/share/man", lang)
    for path in sorted(glob.glob(os.path.join(base, "man*/*.gz"))):
        if os.path.islink(path):
            continue
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
            name, text = roff_to_text(f.read())
        if text:
            page = os.path.basename(path)[: -len(".gz")]
            stem, _, section = page.rpartition(".")
            yield {
                "id": f"man/{lang}/{page}",
                "title": f"{stem}({section})" + (f" {name}" if name else ""),
                "text": text,
            }


# ---------------------------------------------------------------------------------------
# Debian Reference: one HTML file per chapter, cut into its sections

def debian_reference_documents(root, lang):
    """One document per top-level section (heading level 2, with its subsections) of each
    Debian Reference chapter of `lang` (zh-cn or zh-tw), plus each chapter's introduction."""
    base = os.path.join(root, "usr/share/debian-reference")
    for path in sorted(glob.glob(os.path.join(base, f"*.{lang}.html"))):
        chapter = os.path.basename(path).split(".")[0]
        if chapter == "index":  # the table of contents
            continue
        with open(path, encoding="utf-8") as f:
            sections = html_sections(f.read(), split_level=2)
        for number, (title, text) in enumerate(sections):
            yield {
                "id": f"debian-reference/{lang}/{chapter}/{number}",
                "title": title or chapter,
                "text": text,
            }


def corpus_parts(root):
    """`(label, documents)` for every part of the corpus, Simplified and Traditional."""
    return [
        ("libreoffice-help-zh-cn", libreoffice_documents(root, "zh-CN")),
        ("libreoffice-help-zh-tw", libreoffice_documents(root, "zh-TW")),
        ("manpages-zh (zh_CN)", man_documents(root, "zh_CN")),
        ("manpages-zh (zh_TW)", man_documents(root, "zh_TW")),
        ("debian-reference-zh-cn", debian_reference_documents(root, "zh-cn")),
        ("debian-reference-zh-tw", debian_reference_documents(root, "zh-tw")),
    ]


def json_line(document):
    """One JSONL line for a document."""
    return json.dumps(document, ensure_ascii=False) + "\n"


def write_corpus(work):
    """Write WORK/corpus.jsonl; return per-part `{label: [documents, bytes]}`."""
    root = os.path.join(work, "root")
    summary = collections.OrderedDict()
    path = os.path.join(work, "corpus.jsonl")
    with open(path + ".tmp", "w", encoding="utf-8") as out:
        for label, documents in corpus_parts(root):
            counts = summary.setdefault(label, [0, 0])
            for document in documents:
                line = json_line(document)
                out.write(line)
                counts[0] += 1
                counts[1] += len(line.encode("utf-8"))
    os.replace(path + ".tmp", path)
    return summary


def write_scaled(work, copies):
    """Write WORK/corpus-xK.jsonl: `copies` copies of corpus.jsonl, copy k > 1 with ids
    suffixed `#k`. Returns its path."""
    source = os.path.join(work, "corpus.jsonl")
    path = os.path.join(work, f"corpus-x{copies}.jsonl")
    with open(source, encoding="utf-8") as f:
        documents = [json.loads(line) for line in f]
    with open(path + ".tmp", "w", encoding="utf-8") as out:
        for copy in range(1, copies + 1):
            for document in documents:
                if copy > 1:
                    document = dict(document, id=f"{document['id']}#{copy}")
                out.write(json_line(document))
    os.replace(path + ".tmp", path)
    return path


def print_summary(summary, work):
    """Print documents and MB per part and in total."""
    mb = 1e6
    print(f"{'part':26} {'documents':>9} {'MB':>7}")
    for label, (documents, size) in summary.items():
        print(f"{label:26} {documents:9d} {size / mb:7.2f}")
    total_docs = sum(d for d, _ in summary.values())
    total_size = sum(s for _, s in summary.values())
    print(f"{'total':26} {total_docs:9d} {total_size / mb:7.2f}   -> {os.path.join(work, 'corpus.jsonl')}")


def main():
    """Fetch, unpack, extract, write, summarise."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", default=DEFAULT_WORK, help="work directory (default: Benchmarks/work)")
    parser.add_argument("--scale", type=int, default=1, metavar="K",
                        help="also write K copies with distinct ids to corpus-xK.jsonl")
    args = parser.parse_args()
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    fetch_packages(work)
    print_summary(write_corpus(work), work)
    if args.scale > 1:
        path = write_scaled(work, args.scale)
        print(f"{args.scale} copies: {os.path.getsize(path) / 1e6:.2f} MB -> {path}")


if __name__ == "__main__":
    main()
