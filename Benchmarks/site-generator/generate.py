#!/usr/bin/env python3
"""Writes the same generated site twice: as a notes folder for `nbrun build`
and as a Hugo project whose math is typeset at build time by transform.ToMath.

    generate.py OUT [--notes 200] [--equations 1600] [--shape long|short]

--shape long    three sections of prose per note, equations between (the default)
--shape short   one heading, one short sentence per equation: about 700 bytes
                a note with 8 equations (a glossary or a formula sheet)

OUT/nbrun/   notes in folders, site.yml
OUT/hugo/    hugo.toml, content/, layouts/ (sidebar, previous/next, tags)

Deterministic: the same arguments give the same bytes.
"""
import argparse
import os
import random

WORDS = ("gradient weight bias layer neuron activation sigmoid softmax entropy loss "
         "error signal chain rule derivative matrix vector product sum batch epoch "
         "training update step rate network output input hidden forward backward "
         "partial function value estimate compute propagate tensor shape index").split()
TAGS = ["calculus", "linear-algebra", "networks", "optimisation", "probability",
        "activations", "losses", "training", "notation", "examples"]
FOLDERS = ["basics", "derivation", "training", "appendix"]


def equation(rng, number, display):
    a, b, c = rng.randint(2, 9), rng.randint(2, 9), number
    forms = [
        r"\frac{\partial L}{\partial w_{%d}} = \delta_{%d} \, a_{%d}" % (c, a, b),
        r"z^{(%d)} = W^{(%d)} a^{(%d)} + b^{(%d)}" % (c, c, b, a),
        r"\sigma(x) = \frac{1}{1 + e^{-%d x}}" % c,
        r"\sum_{i=1}^{%d} y_i \log \hat{y}_i + %d" % (c, a),
        r"\delta^{(%d)} = \left(W^{(%d)}\right)^{\top} \delta^{(%d)} \odot \sigma'(z^{(%d)})" % (a, b, c, a),
        r"\hat{y}_{%d} = \frac{e^{z_{%d}}}{\sum_j e^{z_j}}" % (c, c),
        r"w \leftarrow w - \eta \nabla_w L + %d" % c,
        r"\begin{pmatrix} %d & %d \\ %d & %d \end{pmatrix} x_{%d}" % (a, b, c, a, c),
    ]
    return forms[number % len(forms)]


def paragraph(rng, count):
    words = [rng.choice(WORDS) for _ in range(count)]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--notes", type=int, default=200)
    parser.add_argument("--equations", type=int, default=1600)
    parser.add_argument("--shape", choices=["long", "short"], default="long")
    args = parser.parse_args()
    rng = random.Random(7)
    per_note = args.equations // args.notes
    extra = args.equations - per_note * args.notes
    nbrun = os.path.join(args.out, "nbrun")
    hugo = os.path.join(args.out, "hugo")
    names = []
    for index in range(args.notes):
        folder = FOLDERS[index * len(FOLDERS) // args.notes]
        names.append((folder, "note-%04d" % index))
    counter = 0
    for index, (folder, name) in enumerate(names):
        equations = per_note + (1 if index < extra else 0)
        tags = sorted(rng.sample(TAGS, 2))
        title = "Note %d: %s %s" % (index, rng.choice(WORDS), rng.choice(WORDS))
        date = "2024-%02d-%02d" % (1 + index % 12, 1 + index % 28)
        body_nbrun, body_hugo = [], []
        if args.shape == "short":
            heading = "## %s %s" % (rng.choice(WORDS).capitalize(), rng.choice(WORDS))
            body_nbrun.append(heading)
            body_hugo.append(heading)
        for section in range(3 if args.shape == "long" else 0):
            heading = "## %s %s %d" % (rng.choice(WORDS).capitalize(), rng.choice(WORDS), section)
            body_nbrun.append(heading)
            body_hugo.append(heading)
            for _ in range(2):
                text = paragraph(rng, 60)
                body_nbrun.append(text)
                body_hugo.append(text)
        for number in range(equations):
            counter += 1
            display = number % 2 == 0
            tex = equation(rng, counter, display)
            prose = paragraph(rng, 20 if args.shape == "long" else 3)
            if display:
                body_nbrun.append(prose + "\n\n$$\n%s\n$$" % tex)
                body_hugo.append(prose + "\n\n$$\n%s\n$$" % tex)
            else:
                body_nbrun.append(prose + " Inline $%s$ here." % tex)
                body_hugo.append(prose + " Inline $%s$ here." % tex)
        target_folder, target = names[(index + 1) % len(names)]
        body_nbrun.append("Next, read [[%s]]." % target)
        body_hugo.append("Next, read [%s](/%s/%s/)." % (target, target_folder, target))
        front = "---\ntitle: \"%s\"\ntags: [%s]\ndate: %s\n---\n\n" % (title, ", ".join(tags), date)
        write(os.path.join(nbrun, folder, name + ".md"), front + "\n\n".join(body_nbrun) + "\n")
        write(os.path.join(hugo, "content", folder, name + ".md"), front + "\n\n".join(body_hugo) + "\n")
    write(os.path.join(nbrun, "site.yml"), "title: Generated site\nbaseURL: https://example.org/\n")
    write_hugo_project(hugo)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def write_hugo_project(hugo):
    write(os.path.join(hugo, "hugo.toml"), """baseURL = "https://example.org/"
title = "Generated site"
disableKinds = ["RSS", "sitemap", "robotsTXT"]
[taxonomies]
tag = "tags"
[markup.goldmark.extensions.passthrough]
enable = true
[markup.goldmark.extensions.passthrough.delimiters]
block = [["$$", "$$"]]
inline = [["$", "$"]]
""")
    layouts = os.path.join(hugo, "layouts")
    write(os.path.join(layouts, "_markup", "render-passthrough.html"),
          """{{- $opts := dict "output" "htmlAndMathml" "displayMode" (eq .Type "block") }}
{{- with try (transform.ToMath .Inner $opts) }}{{- with .Err }}{{ errorf "%s" . }}{{- else }}{{- .Value }}{{- end }}{{- end -}}
""")
    write(os.path.join(layouts, "baseof.html"), """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<link rel="stylesheet" href="/katex.min.css"></head>
<body><header><a href="/">{{ site.Title }}</a></header>
<nav class="sidebar"><ul>{{ range site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""")
    write(os.path.join(layouts, "single.html"), """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul class="tags">{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
<time>{{ .Date.Format "2006-01-02" }}</time>
{{ .Content }}
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }} {{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
{{ end }}
""")
    write(os.path.join(layouts, "list.html"), """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>{{ end }}</ul>
{{ end }}
""")
    write(os.path.join(layouts, "home.html"), """{{ define "main" }}<h1>{{ site.Title }}</h1>
<table>{{ range site.RegularPages }}<tr><td><a href="{{ .RelPermalink }}">{{ .Title }}</a></td>
<td>{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</td><td>{{ .Date.Format "2006-01-02" }}</td></tr>{{ end }}</table>
{{ end }}
""")


if __name__ == "__main__":
    main()
