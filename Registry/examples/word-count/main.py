"""acme/word-count: counts words, lines and characters of a text and ranks its most frequent words.

Runtime protocol: one JSON object on stdin, {"tool": name, "input": {...}}; one JSON object on stdout,
{"output": {...}} or {"error": {"message": ...}}. Standard library only.
"""

import json
import re
import sys
import unicodedata

# A word is a run of Unicode letters and digits, optionally joined by single inner apostrophes or
# hyphens: "don't", "state-of-the-art" and "l'été" are one word each; "--" and "'" are not words.
WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")


class ToolError(Exception):
    pass


def count(args):
    text = args.get("text")
    if not isinstance(text, str):
        raise ToolError("`text` must be a string")
    top_n = args.get("topN", 10)
    if isinstance(top_n, bool) or not isinstance(top_n, int) or not 0 <= top_n <= 100:
        raise ToolError("`topN` must be an integer from 0 to 100")
    case_sensitive = args.get("caseSensitive", False)
    if not isinstance(case_sensitive, bool):
        raise ToolError("`caseSensitive` must be a boolean")
    stopwords = args.get("stopwords", [])
    if not isinstance(stopwords, list) or not all(isinstance(w, str) for w in stopwords):
        raise ToolError("`stopwords` must be an array of strings")

    def norm(word):
        return word if case_sensitive else word.lower()

    # NFC first, so that a letter written with a combining accent stays inside its word.
    words = [m.group(0) for m in WORD.finditer(unicodedata.normalize("NFC", text))]
    frequencies = {}
    for word in words:
        key = norm(word)
        frequencies[key] = frequencies.get(key, 0) + 1

    ignored = {norm(w) for w in stopwords}
    ranked = sorted(
        ((w, n) for w, n in frequencies.items() if w not in ignored),
        key=lambda item: (-item[1], item[0]),
    )

    lines = text.count("\n") + (1 if text and not text.endswith("\n") else 0)
    letters = sum(len(w) for w in words)
    return {
        "characters": len(text),
        "charactersExcludingWhitespace": sum(1 for c in text if not c.isspace()),
        "words": len(words),
        "uniqueWords": len(frequencies),
        "lines": lines,
        "averageWordLength": round(letters / len(words), 2) if words else 0,
        "topWords": [{"word": w, "count": n} for w, n in ranked[:top_n]],
    }


TOOLS = {"count": count}


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
