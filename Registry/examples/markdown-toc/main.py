"""acme/markdown-toc: lists the headings of a Markdown document and renders a linked table of contents.

Runtime protocol: one JSON object on stdin, {"tool": name, "input": {...}}; one JSON object on stdout,
{"output": {...}} or {"error": {"message": ...}}. Standard library only.
"""

import html
import json
import re
import sys
import unicodedata

FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
THEMATIC_BREAK = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
NOT_PARAGRAPH = re.compile(r"^ {0,3}(?:>|[-+*](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|<)")
CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
IMAGE_OR_LINK = re.compile(r"!?\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])")
TAG = re.compile(r"</?[A-Za-z][^>]*>")
UNDERSCORE_EMPHASIS = re.compile(r"(?<![^\W_])_+|_+(?![^\W_])")
STAR_EMPHASIS = re.compile(r"\*+(?=\S)|(?<=\S)\*+")


class ToolError(Exception):
    pass


def plain_text(raw):
    """The heading as GitHub displays it: inline Markdown and HTML removed, entities decoded."""
    parts = []
    position = 0
    for match in CODE_SPAN.finditer(raw):
        parts.append(clean_inline(raw[position:match.start()]))
        code = match.group(2)
        if code.startswith(" ") and code.endswith(" ") and code.strip():
            code = code[1:-1]
        parts.append(code)
        position = match.end()
    parts.append(clean_inline(raw[position:]))
    return " ".join("".join(parts).split())


def clean_inline(text):
    escaped = []

    def protect(match):
        escaped.append(match.group(1))
        return "\uE000%d\uE001" % (len(escaped) - 1)

    text = ESCAPED.sub(protect, text)
    text = IMAGE_OR_LINK.sub(lambda m: m.group(1), text)
    text = TAG.sub("", text)
    text = STAR_EMPHASIS.sub("", text).replace("~~", "")
    text = UNDERSCORE_EMPHASIS.sub("", text)
    text = html.unescape(text)
    return re.sub("\uE000(\\d+)\uE001", lambda m: escaped[int(m.group(1))], text)


def slug(text):
    """github-slugger: lower case, keep letters, marks, numbers, connector punctuation, spaces and hyphens."""
    kept = (c for c in text.lower() if c in " -" or unicodedata.category(c)[0] in "LMN" or unicodedata.category(c) == "Pc")
    return "".join(kept).replace(" ", "-")


def find_headings(markdown):
    """(level, raw text, 1-based line) for each ATX and setext heading outside code and front matter."""
    lines = markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    headings = []
    fence = None  # (character, length) of the open code fence
    paragraph = []  # (line number, text) of the paragraph being read
    start = 0
    if lines and lines[0].rstrip() == "---":  # YAML front matter
        for index in range(1, len(lines)):
            if lines[index].rstrip() in ("---", "..."):
                start = index + 1
                break
    for index in range(start, len(lines)):
        line = lines[index]
        number = index + 1
        if fence is not None:
            closing = re.match(r"^ {0,3}(%s{%d,})[ \t]*$" % (re.escape(fence[0]), fence[1]), line)
            if closing:
                fence = None
            continue
        opening = FENCE_OPEN.match(line)
        if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
            fence = (opening.group(1)[0], len(opening.group(1)))
            paragraph = []
            continue
        if not line.strip():
            paragraph = []
            continue
        atx = ATX.match(line)
        if atx:
            content = atx.group(2) or ""
            content = "" if re.fullmatch(r"#+", content) else re.sub(r"[ \t]+#+$", "", content)
            headings.append((len(atx.group(1)), content, number))
            paragraph = []
            continue
        setext = SETEXT.match(line)
        if setext and paragraph:
            level = 1 if setext.group(1)[0] == "=" else 2
            headings.append((level, " ".join(text.strip() for _, text in paragraph), paragraph[0][0]))
            paragraph = []
            continue
        if THEMATIC_BREAK.match(line) or (not paragraph and (line.startswith("    ") or line.startswith("\t"))):
            paragraph = []  # a thematic break, or an indented code block
            continue
        if NOT_PARAGRAPH.match(line):
            paragraph = []  # block quotes, list items and HTML blocks are not indexed
            continue
        paragraph.append((number, line))
    return headings


def markdown_toc(args):
    markdown = args.get("markdown")
    if not isinstance(markdown, str):
        raise ToolError("`markdown` must be a string")
    levels = {}
    for key, default in (("minLevel", 1), ("maxLevel", 6)):
        value = args.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 6:
            raise ToolError("`%s` must be an integer from 1 to 6" % key)
        levels[key] = value
    if levels["minLevel"] > levels["maxLevel"]:
        raise ToolError("`minLevel` (%d) is greater than `maxLevel` (%d)" % (levels["minLevel"], levels["maxLevel"]))
    ordered = args.get("ordered", False)
    if not isinstance(ordered, bool):
        raise ToolError("`ordered` must be a boolean")

    # Anchors are assigned over every heading, as GitHub does, so that duplicates get the same suffixes
    # whichever levels the table of contents includes.
    occurrences = {}
    entries = []
    for level, raw, line in find_headings(markdown):
        text = plain_text(raw)
        if not text:
            continue
        base = slug(text)
        anchor = base
        while anchor in occurrences:
            occurrences[base] += 1
            anchor = "%s-%d" % (base, occurrences[base])
        occurrences[anchor] = 0
        if levels["minLevel"] <= level <= levels["maxLevel"]:
            entries.append({"level": level, "text": text, "anchor": anchor, "line": line})

    top = min((e["level"] for e in entries), default=1)
    width = 3 if ordered else 2
    counters = [0] * 7
    toc = []
    for entry in entries:
        depth = entry["level"] - top
        counters[depth] += 1
        for deeper in range(depth + 1, 7):
            counters[deeper] = 0
        marker = "%d." % counters[depth] if ordered else "-"
        label = re.sub(r"([\\\[\]])", r"\\\1", entry["text"])
        toc.append("%s%s [%s](#%s)\n" % (" " * (width * depth), marker, label, entry["anchor"]))
    return {"count": len(entries), "headings": entries, "toc": "".join(toc)}


TOOLS = {"markdown_toc": markdown_toc}


def main():
    try:
        try:
            request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
        except ValueError as error:  # malformed JSON or UTF-8
            raise ToolError("the request is not valid JSON: %s" % error)
        if not isinstance(request, dict):
            raise ToolError("the request must be a JSON object")
        name = request.get("tool")
        handler = TOOLS.get(name) if isinstance(name, str) else None
        if handler is None:
            raise ToolError("unknown tool: %s (this package provides: %s)" % (json.dumps(name), ", ".join(sorted(TOOLS))))
        args = request.get("input", {})
        if not isinstance(args, dict):
            raise ToolError("`input` must be a JSON object")
        response = {"output": handler(args)}
    except ToolError as error:  # anything else is a bug: a traceback on stderr and a non-zero exit
        response = {"error": {"message": str(error)}}
    sys.stdout.buffer.write(json.dumps(response, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")


if __name__ == "__main__":
    main()
