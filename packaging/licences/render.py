"""Renders THIRD-PARTY-LICENSES.md from several cargo-about JSON reports (scripts/licences.sh).

Each shipped binary is a crate of its own (the PHP extension, the C library, the CLI) and
cargo-about reads one crate's graph at a time: this merges the reports (crates by name and
version; licence texts by licence and text, their users joined) and renders the merged data
with the handlebars template, of which it knows the little the template uses: {{#each path}}
... {{/each}}, {{path}} (HTML-escaped, as handlebars does) and {{{path}}} (raw); a line
holding only a block tag is dropped, as handlebars drops standalone tags.

    python3 packaging/licences/render.py TEMPLATE REPORT.json... > THIRD-PARTY-LICENSES.md
"""

import json
import re
import sys

ESCAPES = [("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#x27;"),
           ("`", "&#x60;"), ("=", "&#x3D;")]
TAG = re.compile(r"\{\{\{\s*([\w.]+)\s*\}\}\}|\{\{\s*([#/]?)(each\s+)?([\w.]*)\s*\}\}")


def merge(reports):
    """The union of the reports' crates and licence texts, in cargo-about's order (texts by
    licence, crates by name and version; a text's users in the order the reports give them)."""
    crates, licences = {}, {}
    for report in reports:
        for krate in report["crates"]:
            package = krate["package"]
            crates.setdefault((package["name"], package["version"]), krate)
        for licence in report["licenses"]:
            key = (licence["id"], licence["text"])
            merged = licences.setdefault(key, dict(licence, used_by=[]))
            seen = {(u["crate"]["name"], u["crate"]["version"]) for u in merged["used_by"]}
            for user in licence["used_by"]:
                if (user["crate"]["name"], user["crate"]["version"]) not in seen:
                    merged["used_by"].append(user)
    # sorted() is stable: within a licence, the texts keep the first report's order.
    ordered_licences = sorted(licences.values(), key=lambda licence: licence["id"])
    return {"crates": [crates[k] for k in sorted(crates)], "licenses": ordered_licences}


def escape(text):
    """Handlebars' escaping of {{path}}."""
    for char, entity in ESCAPES:
        text = text.replace(char, entity)
    return text


def lookup(scopes, path):
    """A dotted path, looked up from the innermost scope out."""
    for scope in reversed(scopes):
        value, found = scope, True
        for part in path.split("."):
            if isinstance(value, dict) and part in value:
                value = value[part]
            else:
                found = False
                break
        if found:
            return value
    return ""


def strip_standalone(template):
    """Drops the lines that hold only a block tag (and their newline)."""
    return re.sub(r"(?m)^[ \t]*(\{\{[#/][^}]*\}\})[ \t]*\n", r"\1", template)


def render(template, scopes):
    """The template with its tags replaced from `scopes` (innermost last)."""
    out, pos = [], 0
    while True:
        match = TAG.search(template, pos)
        if not match:
            out.append(template[pos:])
            return "".join(out)
        out.append(template[pos:match.start()])
        raw, block, _, path = match.groups()
        if raw:
            out.append(str(lookup(scopes, raw)))
            pos = match.end()
        elif block == "#":
            body_end, after = closing(template, match.end())
            for item in lookup(scopes, path) or []:
                out.append(render(template[match.end():body_end], scopes + [item]))
            pos = after
        else:
            out.append(escape(str(lookup(scopes, path))))
            pos = match.end()


def closing(template, start):
    """Where the body of the block opened before `start` ends, and where its {{/each}} ends."""
    depth, pos = 1, start
    while True:
        match = TAG.search(template, pos)
        if not match:
            raise SystemExit("render.py: unclosed {{#each}} in the template")
        if match.group(2) == "#":
            depth += 1
        elif match.group(2) == "/":
            depth -= 1
            if depth == 0:
                return match.start(), match.end()
        pos = match.end()


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    with open(argv[1], encoding="utf-8") as f:
        template = strip_standalone(f.read())
    reports = []
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            reports.append(json.load(f))
    sys.stdout.write(render(template, [merge(reports)]))


if __name__ == "__main__":
    main(sys.argv)
