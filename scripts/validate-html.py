#!/usr/bin/python3
"""Checks rendered pages against the HTML5 parsing rules (html5lib, Debian's
python3-html5lib) and for duplicate ids; prints each problem as file:line:col.

    scripts/validate-html.py _site            # every .html under a folder
    scripts/validate-html.py notebooks/*.html

Exit status 1 when a page has a problem."""
import pathlib
import sys

try:
    import html5lib
except ImportError:
    sys.exit("validate-html: needs python3-html5lib (apt-get install python3-html5lib)")


def pages(arguments):
    for argument in arguments:
        path = pathlib.Path(argument)
        yield from sorted(path.rglob("*.html")) if path.is_dir() else [path]


def problems(path):
    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
    document = parser.parse(path.read_bytes())
    for (line, column), code, data in parser.errors:
        yield f"{path}:{line}:{column}: {code} {data or ''}".rstrip()
    seen = set()
    for element in document.iter():
        identifier = element.get("id") if hasattr(element, "get") else None
        if identifier is None:
            continue
        if identifier in seen:
            yield f"{path}: duplicate id {identifier!r}"
        seen.add(identifier)


found = 0
checked = 0
for page in pages(sys.argv[1:] or ["."]):
    checked += 1
    for problem in problems(page):
        print(problem)
        found += 1
print(f"{checked} pages, {found} problems", file=sys.stderr)
sys.exit(1 if found else 0)
