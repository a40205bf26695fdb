"""The Korean and Japanese editions of the course, made from the English by gettext catalogs.

The English notebooks and instructor documents are the source. Their prose goes into one catalog
per notebook or document and language, translators fill the catalogs, and this tool builds
``notebooks/ko/`` and ``notebooks/ja/``, and ``docs/**/<name>.ko.md`` and ``.ja.md``, from the
English and the catalogs::

    python tools/i18n.py update        # English -> locales/*.pot -> merged into locales/{ko,ja}/*.po, .mo compiled
    python tools/i18n.py update 02 05  # only these catalogs (names as for check: 02, 02_sigmoid, course_utils)
    python tools/i18n.py check         # what translators must still do or fix; exit status 1 if anything
    python tools/i18n.py status        # how much of each catalog is translated
    python tools/i18n.py build         # notebooks/{ko,ja}/NN_*.ipynb, executed top to bottom
    python tools/i18n.py build --lang ko --no-execute 02   # one notebook, sources only
    python tools/i18n.py build docs    # only the documents (docs/instructor_guide.ko.md, ...; not executed)
    python tools/i18n.py extract-runtime   # only the messages of course_utils (part of update)

``make translations`` runs ``update`` then ``build``. CONTRIBUTING.md ("Translations") gives the workflow.

What is translated, and how it is named
---------------------------------------
* **Markdown cells, paragraph by paragraph.** A cell is cut at its blank lines (a fenced code block
  or a ``$$`` formula stays in one piece). Each paragraph is one message, with the context
  ``<cell id>:p<n>`` (the n-th translatable paragraph of that cell). A paragraph with nothing to
  translate (only code, maths or a link) is copied as it is. Paragraphs, not whole cells, so that a
  changed sentence makes one paragraph stale, not the whole cell.
* **Teaching comments of code cells:** a run of ``#`` lines, or a comment after code on its line.
  Context ``<cell id>:c<n>``. Commented-out code (``# nb02.sigmoid.hint()``) and markers
  (``# NBVAL_IGNORE_OUTPUT``) are code, not prose, and stay as they are.
* **Text drawn in figures:** a string literal (or f-string) that a code cell passes as a title,
  axis label, legend entry or annotation: the text argument of ``set_title``, ``title``,
  ``suptitle``, ``set_xlabel``, ``xlabel``, ``set_ylabel``, ``ylabel``, ``annotate``, ``text``,
  ``figtext``, the items of ``legend([...])``, and the keywords ``title=``, ``xlabel=``,
  ``ylabel=``, ``label=`` of any call (``plot``, ``cu.plotting.style_axes``, ``ax.set``,
  ``colorbar``). Context ``<cell id>:s<n>``, kind ``figure-text``; the message is the source text
  between the quotes (``{name} inputs``, ``\\n`` as written). Texts of only maths, symbols and
  names stay as they are (``is_figure_text`` gives the rule: ``"x"``, ``"f(z)"``, ``"tanh(x)"``,
  ``"ReLU"``, ``"lr = {lr}"``). A literal that reaches such a call through a variable used for
  nothing else counts too (a ``for`` over a list of tuples, ``zip(..., [...])``, a dict read only as
  ``titles[...]``). The build writes the translation back into the same place with the same prefix
  and quotes, escaping the quote and line breaks; ``check`` refuses one that loses an f-string field
  or is not a valid string.
* **Documents** (``docs/instructor_guide.md``, ``docs/exit_ticket.md``, ``docs/handouts/*.md``):
  paragraphs as in markdown cells, context ``<section anchor>:p<n>``; catalogs
  ``locales/docs/<path>.pot`` and ``locales/<lang>/docs/<path>.po``; the edition
  ``docs/<path>.<lang>.md`` gets its own language switch on its first line, links into the edition
  (other documents, notebooks, README) and anchors that follow the translated headings.
* **course_utils' messages:** every ``_("...")``, ``N_("...")``, ``ngettext(...)`` and
  ``pgettext(...)`` call in a module that imports ``course_utils.i18n``, into ``locales/course_utils.pot``.

Staying in step
---------------
``update`` re-extracts the English and merges it into each ``.po`` the way ``msgmerge`` does: a
message whose English is unchanged keeps its translation; one whose English changed keeps the old
translation but is marked ``#, fuzzy`` with the old English as ``#| msgid``, so the translator sees
what changed; re-wrapping lines does not count as a change. Translations of English that is gone
are kept at the end as obsolete entries (``#~``), so nothing translated is lost when a cell moves.

Every translation must keep the inline code, the maths (``$...$``, ``$$...$$``), the link targets
and the numbers of its English, and the markdown's shape (heading level, list items, table rows);
``check`` and ``build`` refuse a translation that does not.
"""

from __future__ import annotations

import argparse
import ast
import copy
import difflib
import inspect
import io
import os
import re
import sys
import tokenize
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import polib

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
LOCALES = ROOT / "locales"
PACKAGE = ROOT / "course_utils"
PACKAGE_LOCALES = PACKAGE / "locales"
LANGUAGES = ("ko", "ja")
RUNTIME_DOMAIN = "course_utils"
NOTEBOOK_PATTERN = "[0-9][0-9]_*.ipynb"

HEADER = {
    "ko": ("Korean", "nplurals=1; plural=0;"),
    "ja": ("Japanese", "nplurals=1; plural=0;"),
}


# --------------------------------------------------------------------------- messages
@dataclass
class Unit:
    """One translatable piece of English: its identity (context), its text, and how it is put back."""

    context: str | None
    text: str
    kind: str                      # "markdown", "comment", "trailing-comment", "figure-text" or "runtime"
    note: str = ""                 # shown to translators as "#." (what the piece is, which code it explains)
    plural: str | None = None      # runtime ngettext only
    locations: list[tuple[str, str]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    delimiters: tuple[str, str] | None = None   # figure text: the literal's prefix and quotes, e.g. ("f", '"')

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.text)


# --------------------------------------------------------------------------- markdown
FENCE = re.compile(r"^[ \t]*(```|~~~)")


def split_markdown(source: str) -> list[list[str]]:
    """Cut markdown at blank lines: ``[["block", text], ["gap", blank lines], ...]``.

    Joining the texts gives ``source`` back exactly. A fenced code block or a ``$$`` formula
    stays in one block even when it holds blank lines. A block carries no final newline: it is
    the first character of the gap after it.
    """
    pieces: list[list[str]] = []
    in_fence, in_maths = False, False
    for line in re.findall(r"[^\n]*\n|[^\n]+$", source):
        blank = not line.strip()
        kind = "gap" if blank and not in_fence and not in_maths else "block"
        if pieces and pieces[-1][0] == kind:
            pieces[-1][1] += line
        else:
            pieces.append([kind, line])
        if kind == "block":
            if FENCE.match(line):
                in_fence = not in_fence
            elif not in_fence and line.count("$$") % 2 == 1:
                in_maths = not in_maths
    for index, (kind, text) in enumerate(pieces):
        if kind == "block" and text.endswith("\n"):
            pieces[index][1] = text[:-1]
            if index + 1 < len(pieces):
                pieces[index + 1][1] = "\n" + pieces[index + 1][1]
            else:
                pieces.append(["gap", "\n"])
    return pieces


def common_indent(text: str) -> str:
    """The spaces that begin every non-blank line of ``text`` (a list item's continued paragraph)."""
    indents = [re.match(r"[ \t]*", line).group() for line in text.split("\n") if line.strip()]
    prefix = os.path.commonprefix(indents) if indents else ""
    return prefix


def dedent(text: str, indent: str) -> str:
    return "\n".join(line[len(indent):] if line.startswith(indent) else line.lstrip() for line in text.split("\n"))


def indent_lines(text: str, indent: str) -> str:
    return "\n".join(indent + line if line.strip() else line for line in text.split("\n"))


def is_translatable(text: str) -> bool:
    """True when ``text`` has words once its code, maths, links' targets and HTML tags are taken out."""
    prose = protected_parts(text)[1]
    prose = re.sub(r"<[^>]+>", " ", prose)
    words_in_maths = " ".join(match.group(0)[match.group(0).index("{") + 1:-1] for match in MATHS_WORDS.finditer(text))
    return re.search(r"[^\W\d_]{2,}", prose + " " + words_in_maths) is not None


# --------------------------------------------------------------------------- what a translation must keep
CODE_FENCE_BLOCK = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[^\n]*$", re.S | re.M)
INLINE_CODE = re.compile(r"(`+)(.+?)\1", re.S)
DISPLAY_MATHS = re.compile(r"\$\$(.+?)\$\$", re.S)
INLINE_MATHS = re.compile(r"(?<![\\$])\$(?!\s)([^$\n]+?)(?<![\s\\])\$")
LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^[ \t]*\[[^\]]+\]:[ \t]*(\S+)", re.M)
AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
HTML_LINK = re.compile(r"\b(?:href|src)\s*=\s*\"([^\"]+)\"")
NUMBER = re.compile(r"(?<![A-Za-z0-9_.])\d+(?:[.,]\d+)*")
#: Words inside a formula, ``\text{if }``: the only part of a formula that a translation may change.
MATHS_WORDS = re.compile(r"\\(text|textrm|mbox)\{[^{}]*\}")
BRACE_FIELD = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)?(?:[!:][^{}]*)?\}(?!\})")


def protected_parts(text: str) -> tuple[Counter, str]:
    """What a translation must keep exactly, and the prose that is left.

    Returns ``(parts, prose)``: ``parts`` counts items such as ``"code: `x`"``, ``"maths: $x$"``,
    ``"link: ../docs/glossary.md"``; ``prose`` is ``text`` with all of them blanked out.
    """
    parts: Counter = Counter()

    def take(pattern: re.Pattern, label: str, group: int = 0):
        def blank(match: re.Match) -> str:
            kept = match.group(group)
            if label == "maths":  # words in \text{...} are prose: a translation may translate them
                kept = MATHS_WORDS.sub(r"\\\1{…}", kept)
            parts[f"{label}: {kept}"] += 1
            return " "
        return lambda s: pattern.sub(blank, s)

    prose = text
    for step in (take(CODE_FENCE_BLOCK, "code block"), take(INLINE_CODE, "code"),
                 take(DISPLAY_MATHS, "maths"), take(INLINE_MATHS, "maths"),
                 take(LINK_TARGET, "link", 1), take(REFERENCE_LINK, "link", 1),
                 take(AUTOLINK, "link", 1), take(HTML_LINK, "link", 1)):
        prose = step(prose)
    return parts, prose


def markdown_shape(text: str) -> dict[str, object]:
    """The markdown structure a translation must keep: heading level, list items, table rows."""
    lines = [line for line in CODE_FENCE_BLOCK.sub("", text).split("\n")]
    heading = re.match(r"#{1,6}(?= )", lines[0].lstrip()) if lines else None
    return {
        "heading level": len(heading.group()) if heading else 0,
        "list items": sum(bool(re.match(r"[ \t]*(?:[-*+]|\d+[.)])[ \t]+\S", line)) for line in lines),
        "table rows": sum(line.lstrip().startswith("|") for line in lines),
    }


def translation_problems(english: str, translation: str, kind: str = "markdown",
                         delimiters: tuple[str, str] | None = None) -> list[str]:
    """Why ``translation`` cannot replace ``english`` (empty list: it can).

    A translation keeps every inline code span, code block, ``$...$``/``$$...$$`` formula and
    link target of the English (in any order), writes every number of the English as the same
    digits (it may add numbers), keeps ``{placeholders}`` of course_utils' messages, and keeps
    the markdown's heading level and numbers of list items and table rows. A figure text
    (``delimiters``: its literal's prefix and quotes) must make a valid string literal and keep
    every ``{field}`` of an f-string.
    """
    problems = []
    english_parts, english_prose = protected_parts(english)
    translated_parts, translated_prose = protected_parts(translation)
    for item in sorted((english_parts - translated_parts).keys()):
        problems.append(f"lost {item}")
    for item in sorted((translated_parts - english_parts).keys()):
        problems.append(f"not in the English: {item}")
    missing_numbers = Counter(NUMBER.findall(english_prose)) - Counter(NUMBER.findall(translated_prose))
    for number in sorted(missing_numbers):
        problems.append(f"lost the number {number} (write numbers with the same digits)")
    if kind == "runtime":
        fields = sorted(set(BRACE_FIELD.findall(english)) ^ set(BRACE_FIELD.findall(translation)))
        for name in fields:
            problems.append(f"placeholder {{{name}}} must appear in both the English and the translation")
    if kind == "markdown":
        english_shape, translated_shape = markdown_shape(english), markdown_shape(translation)
        for what, value in english_shape.items():
            if translated_shape[what] != value:
                problems.append(f"{what}: {translated_shape[what]} instead of {value}")
    if kind == "figure-text":
        problems += figure_text_problems(english, translation, delimiters)
    if kind == "trailing-comment" and "\n" in translation.strip():
        problems.append("a comment at the end of a code line must stay on one line")
    return problems


# --------------------------------------------------------------------------- code comments
DIRECTIVE = re.compile(r"^\s*(NBVAL_|noqa|type:|pragma|fmt:|pylint:|!|-\*-)")
CODE_NODES = (ast.Call, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Import, ast.ImportFrom, ast.Attribute,
              ast.Subscript, ast.Return, ast.For, ast.While, ast.If, ast.With, ast.FunctionDef, ast.ClassDef)


def looks_like_code(text: str) -> bool:
    """True for commented-out code such as ``nb02.sigmoid.hint()`` (it parses and does something)."""
    try:
        tree = ast.parse(text.strip())
    except (SyntaxError, ValueError):
        return False
    return any(isinstance(node, CODE_NODES) for node in ast.walk(tree))


def is_teaching_comment(text: str) -> bool:
    return bool(text.strip()) and not DIRECTIVE.match(text) and not looks_like_code(text) \
        and re.search(r"[^\W\d_]{2,}", text) is not None


@dataclass
class Comment:
    """Where a comment is in a cell: rows ``first``..``last`` (0-based), from column ``column``."""

    first: int
    last: int
    column: int
    text: str
    trailing: bool


def comment_tokens(source: str) -> list[tuple[int, int, str]]:
    """``(row, column, text)`` of every comment (0-based row); a line scan when tokenize fails (magics)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
        return [(token.start[0] - 1, token.start[1], token.string) for token in tokens
                if token.type == tokenize.COMMENT]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        found = []
        for row, line in enumerate(source.split("\n")):
            if line.lstrip().startswith("#"):
                found.append((row, len(line) - len(line.lstrip()), line.lstrip()))
        return found


def strip_hash(comment: str) -> str:
    text = comment[1:]
    return text[1:] if text.startswith(" ") else text


def find_comments(source: str) -> list[Comment]:
    """The teaching comments of a code cell: runs of whole-line comments, and comments after code."""
    lines = source.split("\n")
    found: list[Comment] = []
    for row, column, token in comment_tokens(source):
        text = strip_hash(token)
        trailing = bool(lines[row][:column].strip())
        if not is_teaching_comment(text):
            continue
        previous = found[-1] if found else None
        if (not trailing and previous and not previous.trailing and previous.last == row - 1
                and previous.column == column):
            previous.last = row
            previous.text += "\n" + text
        else:
            found.append(Comment(row, row, column, text, trailing))
    return found


def code_explained(lines: list[str], comment: Comment) -> str:
    """The code line a comment explains: its own line, or the next line of code below it."""
    if comment.trailing:
        return lines[comment.first][:comment.column].strip()
    for line in lines[comment.last + 1:]:
        if line.strip() and not line.lstrip().startswith("#"):
            return line.strip()
    return ""


def put_comments(source: str, comments: list[Comment], texts: list[str]) -> str:
    """``source`` with each comment's text replaced by the matching text (same order)."""
    lines = source.split("\n")
    for comment, text in sorted(zip(comments, texts), key=lambda pair: -pair[0].first):
        if comment.trailing:
            line = lines[comment.first]
            lines[comment.first] = line[:comment.column] + "# " + " ".join(text.split("\n"))
        else:
            indent = lines[comment.first][:comment.column]
            new = [indent + ("# " + part if part.strip() else "#") for part in text.split("\n")]
            lines[comment.first:comment.last + 1] = new
    return "\n".join(lines)


# --------------------------------------------------------------------------- figure text in code cells
# The call whose n-th positional argument is text drawn in a figure, and what that text is.
FIGURE_TEXT_CALLS = {
    "set_title": (0, "axes title"), "title": (0, "axes title"), "suptitle": (0, "figure title"),
    "set_xlabel": (0, "x-axis label"), "xlabel": (0, "x-axis label"),
    "set_ylabel": (0, "y-axis label"), "ylabel": (0, "y-axis label"),
    "annotate": (0, "annotation"), "text": (2, "text in the plot"), "figtext": (2, "text in the figure"),
}
# Keywords of any call (plot(label=), style_axes(title=), ax.set(xlabel=), colorbar(label=)), and
# the keyword spelling of the positional text above.
FIGURE_TEXT_KEYWORDS = {"title": "title", "xlabel": "x-axis label", "ylabel": "y-axis label",
                        "label": "legend entry or label"}
FIGURE_TEXT_CALL_KEYWORDS = {"annotate": "text", "text": "s", "figtext": "s", "suptitle": "t"}
# Names that stay as they are in every language: maths functions, not words to translate.
MATHS_NAMES = {"tanh", "sinh", "cosh", "sin", "cos", "tan", "exp", "log", "ln", "lg", "max", "min", "sup", "inf",
               "argmax", "argmin", "softmax", "softplus", "sign", "sgn", "erf", "sqrt", "abs", "mod", "lim"}
STRING_START = re.compile(r"([rRuUfF]{0,2})('''|\"\"\"|'|\")")


@dataclass
class FigureText:
    """A string literal of a code cell that is drawn in a figure, and where it is.

    ``start``/``end`` are character offsets of the whole literal (prefix and quotes included) in the
    cell's source; ``body`` is the source text between the quotes (escapes and f-string fields as
    written).
    """

    start: int
    end: int
    prefix: str
    quote: str
    body: str
    role: str
    code: str

    @property
    def delimiters(self) -> tuple[str, str]:
        return (self.prefix, self.quote)


def split_fields(body: str, is_f: bool) -> list[tuple[str, str]]:
    """``[("text", ...), ("field", "{...}"), ...]``: an f-string body cut into text and replacement fields.

    ``{{`` and ``}}`` are text; a backslash escape is text; a field runs to its matching ``}``
    (format specs with nested fields, brackets and quoted keys included). Not an f-string: all text.
    Raises ``ValueError`` on a lone ``}`` or an unclosed ``{``.
    """
    if not is_f:
        return [("text", body)] if body else []
    pieces: list[tuple[str, str]] = []
    text, index = "", 0
    while index < len(body):
        char = body[index]
        if char == "\\":
            text += body[index:index + 2]
            index += 2
            continue
        if body.startswith(("{{", "}}"), index):
            text += body[index:index + 2]
            index += 2
            continue
        if char == "}":
            raise ValueError("a single } (write }} for a brace)")
        if char != "{":
            text += char
            index += 1
            continue
        depth, quote, end = 0, None, index
        while end < len(body):
            inner = body[end]
            if quote:
                quote = None if inner == quote else quote
            elif inner in "'\"":
                quote = inner
            elif inner in "{[(":
                depth += 1
            elif inner in "}])":
                depth -= 1
                if depth == 0:
                    break
            end += 1
        else:
            raise ValueError("a { that is never closed (write {{ for a brace)")
        if text:
            pieces.append(("text", text))
            text = ""
        pieces.append(("field", body[index:end + 1]))
        index = end + 1
    if text:
        pieces.append(("text", text))
    return pieces


def fields_of(body: str, delimiters: tuple[str, str] | None) -> Counter:
    """The replacement fields of an f-string body (empty for a plain string)."""
    is_f = bool(delimiters) and "f" in delimiters[0].lower()
    return Counter(piece for kind, piece in split_fields(body, is_f) if kind == "field")


def escape_body(text: str, prefix: str, quote: str) -> str:
    """``text`` made safe between ``quote``s with ``prefix``: the delimiter and line breaks escaped.

    The text is source text, as in the English literal: ``\\n`` (backslash, n) and other escapes
    and f-string fields are kept as written. A raw string cannot escape its quote or a line break:
    ``ValueError`` says so.
    """
    raw, is_f = "r" in prefix.lower(), "f" in prefix.lower()
    single = len(quote) == 1
    out = []
    for kind, piece in split_fields(text, is_f):
        if kind == "field":
            out.append(piece)
            continue
        index = 0
        while index < len(piece):
            char = piece[index]
            if char == "\\" and index + 1 < len(piece):
                out.append(piece[index:index + 2])
                index += 2
                continue
            if char == "\\":  # a lone backslash at the end would swallow the closing quote
                if raw:
                    raise ValueError("a raw string cannot end with a backslash")
                out.append("\\\\")
            elif char == quote[0]:
                if raw:
                    raise ValueError(f"a raw string cannot hold its own quote {quote[0]}")
                out.append("\\" + char)
            elif char == "\n" and single:
                if raw:
                    raise ValueError("a raw string in single quotes cannot hold a line break")
                out.append("\\n")
            else:
                out.append(char)
            index += 1
    return "".join(out)


def literal_source(text: str, delimiters: tuple[str, str]) -> str:
    """The Python literal whose body is ``text``, with the given prefix and quotes."""
    prefix, quote = delimiters
    return f"{prefix}{quote}{escape_body(text, prefix, quote)}{quote}"


def figure_text_problems(english: str, translation: str, delimiters: tuple[str, str] | None) -> list[str]:
    """Why ``translation`` cannot stand in the English's string literal (f-string fields, syntax)."""
    delimiters = delimiters or ("", '"')
    problems = []
    try:
        literal = literal_source(translation, delimiters)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # an invalid escape such as \d is a warning, then an error
            node = ast.parse(literal, mode="eval").body
        if not isinstance(node, (ast.Constant, ast.JoinedStr)):
            raise ValueError("not one string")
    except (ValueError, SyntaxError, Warning) as error:
        return [f"not a valid string in the code ({error}); keep backslashes as in the English (\\n)"]
    english_fields, translated_fields = fields_of(english, delimiters), fields_of(translation, delimiters)
    for item in sorted((english_fields - translated_fields).keys()):
        problems.append(f"lost the field {item} (keep every {{...}} of the English exactly)")
    for item in sorted((translated_fields - english_fields).keys()):
        problems.append(f"not in the English: the field {item} (write {{{{ and }}}} for a brace)")
    if MATHTEXT.search(translation) and CJK.search(translation):
        problems.append("a figure text with $maths$ is drawn all in matplotlib's maths font, which has no Korean or "
                        "Japanese letters (they show as boxes): change the English so that the maths is plain text")
    return problems


#: ``$...$`` in a figure text: matplotlib then draws the whole text with its maths fonts.
MATHTEXT = re.compile(r"(?<!\\)\$[^$]+(?<!\\)\$")
#: Hangul, kana and CJK ideographs.
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3]")


def is_figure_text(text: str, is_f: bool = False) -> bool:
    """True when a figure's text has a word to translate.

    The rule: take out f-string fields ``{...}`` and ``$maths$``; then a word counts when it has
    two or more letters (no digits or ``_``), is not followed by ``(`` or ``[`` (a function or an
    index: ``tanh(x)``, ``sigma'(z)``), is not a name being given a value (``lr = 0.1``), is not an
    acronym with two or more capitals (``ReLU``, ``GELU``, ``XOR``), and is not a maths function
    (``MATHS_NAMES``: ``tanh``, ``ln``, ``softmax``, ...). ``"x"``, ``"f(z)"``, ``"σ(z)"``, ``"w1"``,
    ``"tanh(x)"``, ``"ReLU"``, ``"lr = {lr}"`` stay as they are; ``"epoch"``, ``"OR line"``,
    ``"class {label}"`` are translated.
    """
    try:
        pieces = split_fields(text, is_f)
    except ValueError:
        return False
    prose = " ".join(piece if kind == "text" else " " for kind, piece in pieces)
    prose = protected_parts(prose)[1]
    prose = re.sub(r"\\[nt]", " ", prose)
    for match in re.finditer(r"\w+", prose):
        word, after = match.group(), prose[match.end():]
        if len(word) < 2 or not word.isalpha():
            continue
        if re.match(r"['’]*[(\[]", after) or re.match(r"\s*=(?!=)", after):
            continue
        if sum(char.isupper() for char in word) >= 2 or word.lower() in MATHS_NAMES:
            continue
        return True
    return False


def line_starts(source: str) -> list[int]:
    starts, total = [], 0
    for line in source.split("\n"):
        starts.append(total)
        total += len(line) + 1
    return starts


def figure_text_nodes(tree: ast.AST) -> list[tuple[ast.expr, str, ast.Call]]:
    """``(literal node, role, call)`` for every string argument of a call that draws text."""
    found = []
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call):
            continue
        name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", None)
        if name in FIGURE_TEXT_CALLS:
            position, role = FIGURE_TEXT_CALLS[name]
            if len(call.args) > position:
                found.append((call.args[position], role, call))
        if name == "legend":
            for argument in call.args:
                if isinstance(argument, (ast.List, ast.Tuple)):
                    found += [(element, "legend entry", call) for element in argument.elts]
        for keyword in call.keywords:
            if keyword.arg in FIGURE_TEXT_KEYWORDS:
                found.append((keyword.value, FIGURE_TEXT_KEYWORDS[keyword.arg], call))
            elif keyword.arg and FIGURE_TEXT_CALL_KEYWORDS.get(name) == keyword.arg:
                found.append((keyword.value, FIGURE_TEXT_CALLS[name][1], call))
            elif name == "legend" and keyword.arg == "labels" and isinstance(keyword.value, (ast.List, ast.Tuple)):
                found += [(element, "legend entry", call) for element in keyword.value.elts]
    found += indirect_figure_text_nodes(tree, found)
    return [(node, role, call) for node, role, call in found
            if isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))]


def indirect_figure_text_nodes(tree: ast.AST, direct: list[tuple[ast.expr, str, ast.Call]]) -> list:
    """Literals that reach a figure through a variable used for nothing else.

    ``for label, f in [("no activation", identity), ...]: ax.plot(..., label=label)`` (also over
    ``zip(..., [...])``), and ``titles = {"small": "small N(0, 0.01²)"}`` read only as
    ``titles[...]`` in a figure text. A variable that the code also uses otherwise
    (``COLOURS[name]``, ``paths[name]``) is never translated: its value is a key, not only text.
    """
    shown: dict[str, tuple[str, ast.Call]] = {}   # variable -> (role, call) of its figure-text use
    uses_as_text: set[int] = set()                 # ids of the Name nodes that are such uses

    def take(expression: ast.expr, role: str, call: ast.Call) -> None:
        if isinstance(expression, ast.Subscript):
            expression = expression.value
        if isinstance(expression, ast.Name):
            shown.setdefault(expression.id, (role, call))
            uses_as_text.add(id(expression))

    for node, role, call in direct:
        if isinstance(node, ast.JoinedStr):
            for part in node.values:
                if isinstance(part, ast.FormattedValue):
                    take(part.value, role, call)
        else:
            take(node, role, call)
    only_text = {name for name in shown
                 if all(id(node) in uses_as_text for node in ast.walk(tree)
                        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load))}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.For):
            targets = [node.target] if isinstance(node.target, ast.Name) else list(getattr(node.target, "elts", []))
            if isinstance(node.iter, (ast.List, ast.Tuple)) and isinstance(node.target, ast.Name):
                columns = {0: list(node.iter.elts)}
            elif isinstance(node.iter, (ast.List, ast.Tuple)):
                columns = {k: [row.elts[k] for row in node.iter.elts
                               if isinstance(row, (ast.Tuple, ast.List)) and len(row.elts) > k]
                           for k in range(len(targets))}
            elif isinstance(node.iter, ast.Call) and getattr(node.iter.func, "id", None) == "zip":
                columns = {k: list(argument.elts) for k, argument in enumerate(node.iter.args)
                           if isinstance(argument, (ast.List, ast.Tuple))}
            else:
                continue
            for k, target in enumerate(targets):
                if isinstance(target, ast.Name) and target.id in only_text:
                    role, call = shown[target.id]
                    found += [(element, role, call) for element in columns.get(k, [])]
        elif (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
              and isinstance(node.value, ast.Dict) and node.targets[0].id in only_text):
            role, call = shown[node.targets[0].id]
            found += [(value, role, call) for value in node.value.values]
    return found


def find_figure_texts(source: str) -> list[FigureText]:
    """The translatable figure texts of a code cell, in the order they appear.

    A literal is left out when the cell does not parse (magics), when it is a bytes literal or
    implicitly concatenated (``"a" "b"``), or when it has nothing to translate (``is_figure_text``).
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    lines, starts = source.split("\n"), line_starts(source)

    def offset(row: int, column: int) -> int:  # ast columns count UTF-8 bytes
        return starts[row - 1] + len(lines[row - 1].encode("utf-8")[:column].decode("utf-8"))

    found, seen = [], set()
    for node, role, call in figure_text_nodes(tree):
        start, end = offset(node.lineno, node.col_offset), offset(node.end_lineno, node.end_col_offset)
        if start in seen:
            continue
        seen.add(start)
        segment = source[start:end]
        opening = STRING_START.match(segment)
        if not opening or not segment.endswith(opening.group(2)):
            continue
        prefix, quote = opening.groups()
        body = segment[len(prefix) + len(quote):len(segment) - len(quote)]
        is_f = "f" in prefix.lower()
        try:  # one literal, not "a" "b": its body, escaped again, is itself
            one_literal = escape_body(body, prefix, quote) == body
        except ValueError:
            one_literal = False
        if len(segment) < len(prefix) + 2 * len(quote) or not one_literal or not is_figure_text(body, is_f):
            continue
        code = " ".join(re.sub(r"\(\s+", "(", ast.get_source_segment(source, call) or "").split())
        found.append(FigureText(start, end, prefix, quote, body, role, code if len(code) <= 100 else code[:99] + "…"))
    return sorted(found, key=lambda text: text.start)


def figure_text_note(text: FigureText) -> str:
    keep = []
    if "f" in text.prefix.lower() and fields_of(text.body, text.delimiters):
        keep.append("the {fields} (filled in by the code)")
    if INLINE_MATHS.search(text.body):
        keep.append("the $maths$")
    if "\\n" in text.body:
        keep.append("\\n (a line break)")
    if NUMBER.search(text.body):
        keep.append("the numbers")
    note = (f"text in a figure ({text.role}), in the code: {text.code}\n"
            f"Keep it short: it must fit in the figure.")
    if keep:
        note += " Keep " + ", ".join(keep) + " exactly as they are."
    return note


def put_figure_texts(source: str, replacements: list[tuple[FigureText, str]]) -> str:
    """``source`` with each figure text's literal rewritten around its translation (same prefix and quotes)."""
    for text, translation in sorted(replacements, key=lambda pair: -pair[0].start):
        source = source[:text.start] + literal_source(translation, text.delimiters) + source[text.end:]
    return source


# --------------------------------------------------------------------------- notebooks -> units
def cell_label(cell: nbformat.NotebookNode, index: int) -> str:
    return cell.get("id") or f"cell{index}"


def markdown_units(cell, label: str, where: str) -> list[tuple[int, str, Unit]]:
    """``(piece index, indent, unit)`` for every translatable paragraph of a markdown cell."""
    found = []
    for index, (kind, text) in enumerate(split_markdown(cell.source)):
        if kind != "block" or not is_translatable(text):
            continue
        indent = common_indent(text)
        unit = Unit(f"{label}:p{len(found) + 1}", dedent(text, indent), "markdown", locations=[(where, "")])
        found.append((index, indent, unit))
    return found


def comment_units(cell, label: str, where: str) -> list[tuple[Comment, Unit]]:
    return comment_units_of(cell.source, label, where)


def comment_units_of(source: str, label: str, where: str) -> list[tuple[Comment, Unit]]:
    lines = source.split("\n")
    found = []
    for number, comment in enumerate(find_comments(source), start=1):
        kind = "trailing-comment" if comment.trailing else "comment"
        note = "a code comment"
        explained = code_explained(lines, comment)
        if explained:
            note += f"; the code it explains: {explained}"
        if comment.trailing:
            note += " (keep it on one line)"
        found.append((comment, Unit(f"{label}:c{number}", comment.text, kind, note, locations=[(where, "")])))
    return found


def figure_units(source: str, label: str, where: str) -> list[tuple[FigureText, Unit]]:
    """``(figure text, unit)`` for every translatable figure text of a code cell (context ``<cell id>:s<n>``)."""
    found = []
    for number, text in enumerate(find_figure_texts(source), start=1):
        unit = Unit(f"{label}:s{number}", text.body, "figure-text", figure_text_note(text),
                    locations=[(where, "")], delimiters=text.delimiters)
        found.append((text, unit))
    return found


def code_cell_units(source: str, label: str, where: str) -> list[Unit]:
    """The comments and figure texts of a code cell, in reading order (by line, then column)."""
    placed = [((comment.first, comment.column), unit) for comment, unit in comment_units_of(source, label, where)]
    starts = line_starts(source)
    for text, unit in figure_units(source, label, where):
        row = source.count("\n", 0, text.start)
        placed.append(((row, text.start - starts[row]), unit))
    return [unit for _, unit in sorted(placed, key=lambda pair: pair[0])]


def relative(path: Path) -> str:
    return path.resolve().relative_to(ROOT).as_posix()


def notebook_units(path: Path) -> list[Unit]:
    """Every translatable piece of an English notebook, in reading order."""
    nb = nbformat.read(path, as_version=4)
    where = relative(path)
    units: list[Unit] = []
    for index, cell in enumerate(nb.cells):
        label = cell_label(cell, index)
        if cell.cell_type == "markdown":
            units += [unit for _, _, unit in markdown_units(cell, label, where)]
        elif cell.cell_type == "code":
            units += code_cell_units(cell.source, label, where)
    return units


# --------------------------------------------------------------------------- course_utils -> units
USES_I18N = re.compile(r"^\s*(?:from\s+[\w.]*i18n\s+import|import\s+[\w.]*i18n)", re.M)
GETTEXT_CALLS = {"_": 1, "N_": 1, "gettext": 1, "ngettext": 2, "pgettext": 2}


def is_marked_constant(node: ast.AST) -> bool:
    """``TITLE`` or ``module.TITLE``: a constant in capitals, whose text an ``N_("...")`` marks."""
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    return bool(name) and name.isupper()


def runtime_units(package: Path = PACKAGE) -> tuple[list[Unit], list[str]]:
    """course_utils' messages, and errors for calls whose message is not a plain string literal."""
    units: dict[tuple, Unit] = {}
    errors = []
    for path in sorted(package.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if not USES_I18N.search(text) or path.name == "i18n.py":
            continue
        where = path.relative_to(package.parent).as_posix()
        for node in ast.walk(ast.parse(text, filename=str(path))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in GETTEXT_CALLS):
                continue
            name, needed = node.func.id, GETTEXT_CALLS[node.func.id]
            arguments = node.args[:needed]
            if name == "_" and len(arguments) == 1 and is_marked_constant(arguments[0]):
                continue  # _(TITLE): TITLE's text is marked with N_("...") where it is written
            if len(arguments) < needed or not all(isinstance(a, ast.Constant) and isinstance(a.value, str)
                                                  for a in arguments):
                errors.append(f"{where}:{node.lineno}: {name}() needs plain string literals (not an f-string, "
                              f"a variable or a + b), so that the message can be found in the catalog")
                continue
            values = [a.value for a in arguments]
            if name == "pgettext":
                unit = Unit(values[0], values[1], "runtime")
            elif name == "ngettext":
                unit = Unit(None, values[0], "runtime", plural=values[1])
            else:
                unit = Unit(None, values[0], "runtime")
            if BRACE_FIELD.search(unit.text + (unit.plural or "")):
                unit.flags = ["python-brace-format"]
            existing = units.setdefault(unit.key, unit)
            if (where, "") not in existing.locations:
                existing.locations.append((where, ""))
    return list(units.values()), errors


# --------------------------------------------------------------------------- catalogs
def catalog_paths(name: str) -> tuple[Path, dict[str, Path]]:
    """The template and the per-language catalogs of a notebook stem, a document or ``course_utils``.

    ``02_sigmoid``: ``locales/notebooks/02_sigmoid.pot``, ``locales/<lang>/notebooks/02_sigmoid.po``.
    ``docs/handouts/02_sigmoid``: ``locales/docs/handouts/02_sigmoid.pot``, ``locales/<lang>/docs/handouts/02_sigmoid.po``.
    """
    if name == RUNTIME_DOMAIN:
        return LOCALES / f"{RUNTIME_DOMAIN}.pot", {lang: LOCALES / lang / f"{RUNTIME_DOMAIN}.po" for lang in LANGUAGES}
    if name.startswith("docs/"):
        return LOCALES / f"{name}.pot", {lang: LOCALES / lang / f"{name}.po" for lang in LANGUAGES}
    return (LOCALES / "notebooks" / f"{name}.pot",
            {lang: LOCALES / lang / "notebooks" / f"{name}.po" for lang in LANGUAGES})


def new_entry(unit: Unit, msgstr: str = "") -> polib.POEntry:
    entry = polib.POEntry(msgctxt=unit.context, msgid=unit.text, occurrences=list(unit.locations),
                          comment=unit.note, flags=list(unit.flags))
    if unit.plural is not None:
        entry.msgid_plural = unit.plural
        entry.msgstr_plural = {0: ""}
    else:
        entry.msgstr = msgstr
    return entry


def make_template(units: list[Unit], title: str) -> polib.POFile:
    pot = polib.POFile(wrapwidth=0)
    pot.header = (f"English source of {title}, extracted by tools/i18n.py. Do not edit: translate "
                  f"locales/<lang>/... instead (CONTRIBUTING.md, \"Translations\").")
    pot.metadata = {"Project-Id-Version": "activation-functions course", "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
                    "Last-Translator": "", "Language-Team": "", "Language": "", "MIME-Version": "1.0",
                    "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit"}
    for unit in units:
        pot.append(new_entry(unit))
    return pot


def is_translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def translation_text(entry: polib.POEntry) -> str:
    return entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr


def merge(units: list[Unit], old: polib.POFile | None, lang: str, title: str) -> polib.POFile:
    """A catalog for ``units`` that keeps every usable translation of ``old`` (like ``msgmerge``).

    Same context and English: kept as it is (a fuzzy mark stays until a translator removes it).
    Same English elsewhere, or the same words wrapped differently: translation reused, not fuzzy.
    Same context with changed English, or similar English (difflib ratio of 0.6 or more): the old
    translation, marked fuzzy, with the English it was made for as ``#| msgid``. Otherwise empty.
    Translations no unit uses any more are kept as obsolete entries. Figure texts (context
    ``...:s<n>``) and prose (paragraphs, comments, messages) never lend each other translations:
    a figure text is short and written as code.
    """
    language, plural_forms = HEADER[lang]
    po = polib.POFile(wrapwidth=0)
    po.header = (f"{language} translation of {title}. Translate each msgstr; keep code, maths, links and numbers "
                 f"(CONTRIBUTING.md, \"Translations\"). Check: python tools/i18n.py check --lang {lang}")
    po.metadata = {"Project-Id-Version": "activation-functions course", "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
                   "Last-Translator": "", "Language-Team": language, "Language": lang,
                   "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
                   "Content-Transfer-Encoding": "8bit", "Plural-Forms": plural_forms}
    previous = [entry for entry in (old or []) if is_translated(entry)]
    if old is not None:
        po.metadata.update({key: value for key, value in old.metadata.items()
                            if key in ("Last-Translator", "Language-Team", "PO-Revision-Date")})
    exact = {(e.msgctxt, e.msgid): e for e in previous if not e.obsolete}
    by_text = {(is_figure_context(e.msgctxt), e.msgid): e for e in previous if not e.fuzzy}
    by_words = {(is_figure_context(e.msgctxt), " ".join(e.msgid.split())): e for e in previous if not e.fuzzy}
    by_context = {e.msgctxt: e for e in previous if not e.obsolete and e.msgctxt}
    used: set[int] = set()

    for unit in units:
        entry = new_entry(unit)
        family = is_figure_context(unit.context)
        source = exact.get(unit.key)
        if source is not None and carry(source, entry):
            used.add(id(source))
            if source.fuzzy:  # still stale: keep the mark and the English it was made for
                entry.flags.append("fuzzy")
                entry.previous_msgid, entry.previous_msgctxt = source.previous_msgid, source.previous_msgctxt
            po.append(entry)
            continue
        source = by_text.get((family, unit.text)) or by_words.get((family, " ".join(unit.text.split())))
        if source is not None and carry(source, entry):  # the same English, moved or re-wrapped
            used.add(id(source))
            po.append(entry)
            continue
        source = by_context.get(unit.context) if unit.context else None
        if source is None:
            candidates = {e.msgid: e for e in previous if id(e) not in used and is_figure_context(e.msgctxt) == family}
            close = difflib.get_close_matches(unit.text, list(candidates), n=1, cutoff=0.6)
            source = candidates[close[0]] if close else None
        if source is not None and carry(source, entry):  # changed English: stale until a translator checks it
            used.add(id(source))
            entry.flags.append("fuzzy")
            # The English the translation was made for (if it was stale already, the older English).
            entry.previous_msgid = source.previous_msgid if source.fuzzy and source.previous_msgid else source.msgid
            entry.previous_msgctxt = source.msgctxt
        po.append(entry)
    for entry in previous:
        if id(entry) not in used:
            leftover = copy.copy(entry)
            leftover.obsolete = True
            leftover.occurrences = []
            po.append(leftover)
    return po


def is_figure_context(context: str | None) -> bool:
    """True for the context of a figure text, ``<cell id>:s<n>``."""
    return bool(context) and re.search(r":s\d+$", context) is not None


def carry(source: polib.POEntry, entry: polib.POEntry) -> bool:
    """Copy ``source``'s translation and translator's comment into ``entry``; False if one is plural and one not."""
    if bool(source.msgid_plural) != bool(entry.msgid_plural):
        return False
    if entry.msgid_plural:
        entry.msgstr_plural = dict(source.msgstr_plural)
    else:
        entry.msgstr = source.msgstr
    entry.tcomment = source.tcomment
    return True


def read_catalog(path: Path) -> polib.POFile | None:
    return polib.pofile(str(path), wrapwidth=0) if path.exists() else None


def write_if_changed(path: Path, text: str | bytes) -> bool:
    data = text.encode("utf-8") if isinstance(text, str) else text
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def compiled_catalog(po: polib.POFile) -> bytes:
    """The ``.mo`` bytes of ``po``: translated, non-fuzzy entries only (what gettext reads at run time)."""
    return po.to_binary()


def mo_path(lang: str) -> Path:
    return PACKAGE_LOCALES / lang / "LC_MESSAGES" / f"{RUNTIME_DOMAIN}.mo"


def english_notebooks(names: list[str] | None = None) -> list[Path]:
    """The English notebooks, all or those whose names start with one of ``names`` (``02``, ``02_sigmoid``)."""
    paths = sorted(NOTEBOOKS.glob(NOTEBOOK_PATTERN))
    if names:
        paths = [p for p in paths if any(p.stem.startswith(n) or p.name == n for n in names)]
        if not paths:
            raise SystemExit(f"no notebook in {relative(NOTEBOOKS)} matches {' '.join(names)}")
    return paths


def update_catalog(name: str, units: list[Unit], title: str) -> list[str]:
    template, per_language = catalog_paths(name)
    changed = []
    if write_if_changed(template, str(make_template(units, title)) + "\n"):
        changed.append(relative(template))
    for lang, path in per_language.items():
        po = merge(units, read_catalog(path), lang, title)
        if write_if_changed(path, str(po) + "\n"):
            changed.append(relative(path))
    return changed


def extract_runtime() -> list[str]:
    units, errors = runtime_units()
    if errors:
        raise SystemExit("\n".join(errors))
    changed = update_catalog(RUNTIME_DOMAIN, units, "the messages of course_utils")
    for lang in LANGUAGES:
        po = read_catalog(catalog_paths(RUNTIME_DOMAIN)[1][lang])
        if write_if_changed(mo_path(lang), compiled_catalog(po)):
            changed.append(relative(mo_path(lang)))
    return changed


def select_catalogs(names: list[str] | None) -> list[str]:
    """Catalog names from the command line; all when none given.

    ``02`` or ``02_sigmoid``: a notebook; ``course_utils``; ``docs``: every document;
    ``docs/handouts/02_sigmoid`` (``.md`` optional, ``docs/`` optional): one document.
    """
    if not names:
        return catalog_names()
    documents = [doc_name(path) for path in english_docs()]
    selected = []
    for name in names:
        name = name.removesuffix(".md").rstrip("/")
        if name == RUNTIME_DOMAIN:
            selected.append(name)
        elif name == "docs":
            selected += documents
        elif name in documents or f"docs/{name}" in documents:
            selected.append(name if name in documents else f"docs/{name}")
        else:
            selected += [path.stem for path in english_notebooks([name])]
    return list(dict.fromkeys(selected))


def update(names: list[str] | None = None) -> list[str]:
    """Extract the English of the chosen catalogs (all by default) and merge it into their ``.po`` files."""
    changed = []
    for name in select_catalogs(names):
        if name == RUNTIME_DOMAIN:
            changed += extract_runtime()
        else:
            changed += update_catalog(name, catalog_units(name), catalog_title(name))
    return changed


# --------------------------------------------------------------------------- checking
@dataclass
class Finding:
    lang: str
    catalog: str
    context: str | None
    problem: str

    def __str__(self) -> str:
        where = f"{self.catalog}, {self.context}" if self.context else self.catalog
        return f"{self.lang} · {where}: {self.problem}"


def catalog_units(name: str) -> list[Unit]:
    if name == RUNTIME_DOMAIN:
        return runtime_units()[0]
    if name.startswith("docs/"):
        return doc_units(ROOT / f"{name}.md")
    return notebook_units(NOTEBOOKS / f"{name}.ipynb")


def catalog_names() -> list[str]:
    """Every catalog: the notebooks', the documents' (``docs/...``) and ``course_utils``."""
    return [path.stem for path in english_notebooks()] + [doc_name(path) for path in english_docs()] + [RUNTIME_DOMAIN]


def catalog_title(name: str) -> str:
    """How a catalog's header names its English source."""
    if name == RUNTIME_DOMAIN:
        return "the messages of course_utils"
    return f"document {name}.md" if name.startswith("docs/") else f"notebook {name}.ipynb"


def find_problems(lang: str, name: str, units: list[Unit] | None = None, po: polib.POFile | None = None,
                  completeness: bool = True) -> list[Finding]:
    """What is wrong with one catalog against the current English: broken, missing or stale translations.

    ``completeness=False`` reports only broken translations (lost code, maths, links, numbers).
    """
    units = catalog_units(name) if units is None else units
    po = read_catalog(catalog_paths(name)[1][lang]) if po is None else po
    findings = []
    entries = {(e.msgctxt, e.msgid): e for e in (po or []) if not e.obsolete}
    for unit in units:
        entry = entries.get(unit.key)
        if entry is None or not is_translated(entry):
            if completeness:
                reason = "not in the catalog (run: make translations)" if entry is None else "not translated yet"
                findings.append(Finding(lang, name, unit.context, f"{reason}: {first_words(unit.text)}"))
            continue
        if entry.fuzzy and completeness:
            findings.append(Finding(lang, name, unit.context, f"stale (fuzzy): the English changed; "
                                                              f"update the translation, then remove the fuzzy flag"))
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in texts:
            for problem in translation_problems(unit.text, text, unit.kind, unit.delimiters):
                findings.append(Finding(lang, name, unit.context, problem))
    return findings


def first_words(text: str, count: int = 8) -> str:
    words = text.split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


# --------------------------------------------------------------------------- building the editions
def rewrite_target(target: str, lang: str) -> str:
    """A link target of an English notebook, as seen from ``notebooks/<lang>/``.

    Another notebook of the course stays in the same edition; any other file of the repository
    is reached one folder further up, and its ``<name>.<lang>.<ext>`` translation is used when it exists.
    """
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", target) or target.startswith(("#", "/")):
        return target
    path, hash_, anchor = target.partition("#")
    if not path:
        return target
    resolved = Path(os.path.normpath(NOTEBOOKS / path))
    if resolved.parent == NOTEBOOKS and re.match(r"\d\d_.*\.ipynb$", resolved.name):
        return resolved.name + hash_ + anchor
    translated = resolved.with_name(f"{resolved.stem}.{lang}{resolved.suffix}")
    if translated.exists():
        resolved = translated
    return os.path.relpath(resolved, NOTEBOOKS / lang).replace(os.sep, "/") + hash_ + anchor


LINK_OR_CODE = re.compile(r"(?P<code>`+[^`]*`+)|(?P<open>\]\(\s*<?)(?P<target>[^)\s>]+)"
                          r"|(?P<attr>\b(?:href|src)\s*=\s*\")(?P<value>[^\"]+)")


def rewrite_links(markdown: str, lang: str, rewrite=None) -> str:
    """Every link target of ``markdown`` (not inside code) through ``rewrite`` (default: a notebook's)."""
    rewrite = rewrite or (lambda target: rewrite_target(target, lang))

    def replace(match: re.Match) -> str:
        if match.group("code"):
            return match.group()
        if match.group("open"):
            return match.group("open") + rewrite(match.group("target"))
        return match.group("attr") + rewrite(match.group("value"))
    return LINK_OR_CODE.sub(replace, markdown)


SETUP_LINE = re.compile(r"^rng = cu\.setup\(", re.M)
LANGUAGE_CELL_ID = "set-language"


def setup_takes_language() -> bool:
    """True when ``course_utils.setup`` accepts ``lang=`` (then the set-up call is told the language)."""
    sys.path.insert(0, str(ROOT))
    try:
        from course_utils.notebook_setup import setup
    finally:
        sys.path.remove(str(ROOT))
    return "lang" in inspect.signature(setup).parameters


def with_language(source: str, lang: str) -> str:
    """``rng = cu.setup(...)`` with ``lang="<lang>"`` added to the call's arguments."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "setup"
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "cu"):
            lines = source.split("\n")
            row = node.end_lineno - 1
            encoded = lines[row].encode("utf-8")
            before = encoded[:node.end_col_offset - 1].decode("utf-8")
            after = encoded[node.end_col_offset - 1:].decode("utf-8")
            separator = ", " if node.args or node.keywords else ""
            lines[row] = f"{before}{separator}lang={lang!r}{after}".replace(f"lang='{lang}'", f'lang="{lang}"')
            return "\n".join(lines)
    raise ValueError("no cu.setup(...) call in the set-up cell")


def tell_language(cells: list, lang: str, setup_has_lang: bool) -> None:
    """Make the notebook choose ``lang``: through ``cu.setup(lang=...)``, or a cell before the set-up cell."""
    for index, cell in enumerate(cells):
        if cell.cell_type == "code" and SETUP_LINE.search(cell.source):
            if setup_has_lang:
                cell.source = with_language(cell.source, lang)
            else:
                new = nbformat.v4.new_code_cell(f'from course_utils.i18n import set_language\n\n'
                                                f'set_language("{lang}")')
                new.id = LANGUAGE_CELL_ID
                new.metadata["slideshow"] = {"slide_type": "skip"}
                cells.insert(index, new)
            return
    raise ValueError("no set-up cell (rng = cu.setup(...)) to tell the language")


def translated_cells(path: Path, lang: str, po: polib.POFile | None, setup_has_lang: bool | None = None) -> list:
    """The cells of the ``lang`` edition of an English notebook, without outputs (not executed)."""
    if setup_has_lang is None:
        setup_has_lang = setup_takes_language()
    nb = nbformat.read(path, as_version=4)
    where = relative(path)
    translations = {}
    for entry in (po or []):
        if not entry.obsolete and not entry.fuzzy and is_translated(entry):
            translations[(entry.msgctxt, entry.msgid)] = translation_text(entry)
    cells = []
    for index, original in enumerate(nb.cells):
        cell = copy.deepcopy(original)
        label = cell_label(cell, index)
        if cell.cell_type == "markdown":
            pieces = split_markdown(cell.source)
            for piece_index, indent, unit in markdown_units(cell, label, where):
                text = translations.get(unit.key)
                if text is not None:
                    pieces[piece_index][1] = indent_lines(text, indent)
            cell.source = rewrite_links("".join(text for _, text in pieces), lang)
        elif cell.cell_type == "code":
            # Figure texts first (their places come from the English code), then the comments.
            figures = [(text, translations[unit.key]) for text, unit in figure_units(cell.source, label, where)
                       if unit.key in translations]
            cell.source = put_figure_texts(cell.source, figures)
            found = comment_units(cell, label, where)
            texts = [translations.get(unit.key, unit.text) for _, unit in found]
            cell.source = put_comments(cell.source, [comment for comment, _ in found], texts)
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    tell_language(cells, lang, setup_has_lang)
    return cells


def edition_path(path: Path, lang: str) -> Path:
    return NOTEBOOKS / lang / path.name


def build(langs: list[str], names: list[str] | None, execute: bool) -> int:
    """Build the editions of the chosen notebooks and documents (all by default); 1 if a translation is broken."""
    sys.path.insert(0, str(ROOT / "tools"))
    import nbbuild  # noqa: E402  (tools/ is not a package)

    selected = [name for name in select_catalogs(names) if name != RUNTIME_DOMAIN]
    notebooks = [NOTEBOOKS / f"{name}.ipynb" for name in selected if not name.startswith("docs/")]
    documents = [ROOT / f"{name}.md" for name in selected if name.startswith("docs/")]
    broken = []
    for lang in langs:
        for name in selected:
            broken += find_problems(lang, name, completeness=False)
    if broken:
        print("These translations break code, maths, links or numbers; fix them first:", file=sys.stderr)
        for finding in broken:
            print("  " + str(finding), file=sys.stderr)
        return 1
    build_docs(langs, documents)
    setup_has_lang = setup_takes_language() if notebooks else False
    for lang in langs:
        for path in notebooks:
            po = read_catalog(catalog_paths(path.stem)[1][lang])
            cells = translated_cells(path, lang, po, setup_has_lang)
            target = edition_path(path, lang)
            target.parent.mkdir(parents=True, exist_ok=True)
            print(("executing " if execute else "writing ") + relative(target), flush=True)
            nbbuild.build(target, cells, execute=execute)
    return 0


# --------------------------------------------------------------------------- the instructor documents
# Markdown documents translated through the same catalogs as the notebooks. Each is built next to
# its English as <name>.<lang>.md (docs/handouts/02_sigmoid.ko.md).
DOCS = ROOT / "docs"
DOC_PATTERNS = ("instructor_guide.md", "exit_ticket.md", "handouts/*.md")
BUILT_DOC = re.compile(r"\.(?:" + "|".join(LANGUAGES) + r")\.md$")
LANGUAGE_NAMES = {"en": "English", "ko": "한국어", "ja": "日本語"}
HEADING = re.compile(r"^(#{1,6}) +(.*?)[ #]*$")


def english_docs() -> list[Path]:
    """The English documents that have Korean and Japanese editions."""
    found = {path for pattern in DOC_PATTERNS for path in DOCS.glob(pattern) if not BUILT_DOC.search(path.name)}
    return sorted(found)


def doc_name(path: Path) -> str:
    """``docs/handouts/02_sigmoid`` for ``docs/handouts/02_sigmoid.md``: the catalog's name."""
    return relative(path).removesuffix(".md")


def doc_edition_path(path: Path, lang: str) -> Path:
    return path.with_name(f"{path.stem}.{lang}.md")


def language_switch(path: Path, lang: str) -> str:
    """The line at the top of a document and its editions: ``**English** · [한국어](x.ko.md) · [日本語](x.ja.md)``."""
    parts = []
    for code, name in LANGUAGE_NAMES.items():
        target = path.name if code == "en" else doc_edition_path(path, code).name
        parts.append(f"**{name}**" if code == lang else f"[{name}]({target})")
    return " · ".join(parts)


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens (any script)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = re.sub(r"<[^>]+>", "", text).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def heading_slugs(markdown: str) -> list[str]:
    """The anchors of a document's headings, in order (a repeated one gets ``-1``, ``-2``, as on GitHub)."""
    slugs, seen = [], Counter()
    for kind, block in split_markdown(markdown):
        if kind != "block" or FENCE.match(block):
            continue
        for line in block.split("\n"):
            match = HEADING.match(line)
            if match:
                slug = github_slug(match.group(2))
                slugs.append(f"{slug}-{seen[slug]}" if seen[slug] else slug)
                seen[slug] += 1
    return slugs


def doc_units_of(text: str, where: str) -> list[tuple[int, str, Unit]]:
    """``(piece index, indent, unit)`` for every translatable paragraph of a document.

    The context is ``<section>:p<n>``: the anchor of the heading above (``top`` before the first
    one) and the paragraph's number in that section, the heading itself being ``p1``. A change in
    one section leaves the other sections' contexts as they were. The language switch on the
    first line is not a message (the build writes each edition's own).
    """
    found, section, counts, seen, first = [], "top", Counter(), Counter(), True
    for index, (kind, block) in enumerate(split_markdown(text)):
        if kind != "block":
            continue
        if first and block.startswith("**English** · "):
            first = False
            continue
        first = False
        if not FENCE.match(block):
            for line in block.split("\n"):
                match = HEADING.match(line)
                if match:
                    slug = github_slug(match.group(2))
                    section = f"{slug}-{seen[slug]}" if seen[slug] else slug
                    seen[slug] += 1
                    break
        if not is_translatable(block):
            continue
        counts[section] += 1
        indent = common_indent(block)
        found.append((index, indent, Unit(f"{section}:p{counts[section]}", dedent(block, indent), "markdown",
                                          locations=[(where, "")])))
    return found


def doc_units(path: Path) -> list[Unit]:
    return [unit for _, _, unit in doc_units_of(path.read_text(encoding="utf-8"), relative(path))]


def usable_translations(po: polib.POFile | None) -> dict[tuple, str]:
    """``(context, English) -> translation`` of every translated, non-fuzzy entry (what the build uses)."""
    return {(e.msgctxt, e.msgid): translation_text(e) for e in (po or [])
            if not e.obsolete and not e.fuzzy and is_translated(e)}


def translated_markdown(path: Path, lang: str, po: polib.POFile | None) -> str:
    """A document with its paragraphs translated; links and the language switch not yet rewritten."""
    text = path.read_text(encoding="utf-8")
    pieces = split_markdown(text)
    translations = usable_translations(po)
    for index, indent, unit in doc_units_of(text, relative(path)):
        translation = translations.get(unit.key)
        if translation is not None:
            pieces[index][1] = indent_lines(translation, indent)
    return "".join(text for _, text in pieces)


def anchor_map(path: Path, lang: str, translated: str | None = None) -> dict[str, str]:
    """English anchor -> the anchor of the same heading in the ``lang`` edition of a document."""
    if translated is None:
        translated = translated_markdown(path, lang, read_catalog(catalog_paths(doc_name(path))[1][lang]))
    english = heading_slugs(path.read_text(encoding="utf-8"))
    return dict(zip(english, heading_slugs(translated)))


def rewrite_doc_target(target: str, path: Path, lang: str, own_anchors: dict[str, str]) -> str:
    """A link target of an English document, as seen from its ``lang`` edition (in the same folder).

    Another translated document: its edition, with the anchor of the translated heading. A course
    notebook: ``notebooks/<lang>/``. A folder whose README is a translated document: that README's
    edition. Any other file with a ``<name>.<lang>.<ext>`` beside it (the README): that file.
    Anything else, and addresses on the web, stay as they are.
    """
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", target) or target.startswith("/"):
        return target
    link, hash_, anchor = target.partition("#")
    if not link:
        return "#" + own_anchors.get(anchor, anchor) if hash_ else target
    resolved = Path(os.path.normpath(path.parent / link))
    documents = set(english_docs())
    if resolved.is_dir() and resolved / "README.md" in documents:
        resolved = resolved / "README.md"
    if resolved in documents:
        if anchor:
            anchor = (own_anchors if resolved == path else anchor_map(resolved, lang)).get(anchor, anchor)
        new = doc_edition_path(resolved, lang)
    elif resolved.parent == NOTEBOOKS and re.match(r"\d\d_.*\.ipynb$", resolved.name):
        new = NOTEBOOKS / lang / resolved.name
    elif resolved.with_name(f"{resolved.stem}.{lang}{resolved.suffix}").exists():
        new = resolved.with_name(f"{resolved.stem}.{lang}{resolved.suffix}")
    else:
        return target
    return os.path.relpath(new, path.parent).replace(os.sep, "/") + hash_ + anchor


def translated_doc(path: Path, lang: str, po: polib.POFile | None) -> str:
    """The ``lang`` edition of an English document, as the build writes it."""
    translated = translated_markdown(path, lang, po)
    own = anchor_map(path, lang, translated)
    switch = ""
    if translated.startswith("**English** · "):  # the edition's own switch, written as it must be
        switch = language_switch(path, lang) + "\n"
        translated = translated.partition("\n")[2]
    text = switch + rewrite_links(translated, lang, lambda target: rewrite_doc_target(target, path, lang, own))
    catalog = relative(catalog_paths(doc_name(path))[1][lang])
    return (text.rstrip("\n") + f"\n\n<!-- Built by tools/i18n.py from {path.name} and {catalog}: "
            f"do not edit; translate the catalog, then run make translations. -->\n")


def build_docs(langs: list[str], paths: list[Path]) -> None:
    for lang in langs:
        for path in paths:
            po = read_catalog(catalog_paths(doc_name(path))[1][lang])
            target = doc_edition_path(path, lang)
            if write_if_changed(target, translated_doc(path, lang, po)):
                print(f"writing {relative(target)}", flush=True)


# --------------------------------------------------------------------------- command line
def status() -> None:
    """One line per catalog, then totals for the notebooks and the documents: done/all and stale, per language."""
    totals = {group: {lang: Counter() for lang in LANGUAGES} for group in ("notebooks", "documents")}

    def line(name: str, counts: dict[str, Counter]) -> str:
        return f"{name:34} " + " · ".join(f"{lang} {counts[lang]['done']}/{counts[lang]['all']} done, "
                                           f"{counts[lang]['stale']} stale" for lang in LANGUAGES)
    for name in catalog_names():
        units = catalog_units(name)
        counts = {}
        for lang in LANGUAGES:
            findings = find_problems(lang, name, units)
            missing = sum("not translated" in f.problem or "not in the catalog" in f.problem for f in findings)
            stale = sum("stale" in f.problem for f in findings)
            counts[lang] = Counter({"done": len(units) - missing - stale, "all": len(units), "stale": stale})
            if name != RUNTIME_DOMAIN:
                totals["documents" if name.startswith("docs/") else "notebooks"][lang] += counts[lang]
        print(line(name, counts))
    for group in ("notebooks", "documents"):
        print(line(f"all {group}", {lang: totals[group][lang] for lang in LANGUAGES}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    renew = commands.add_parser("update", help="extract the English, merge it into every catalog, compile the .mo files")
    renew.add_argument("names", nargs="*", help="only these: notebooks (02 or 02_sigmoid), docs, "
                                                "docs/handouts/02_sigmoid or course_utils; default all")
    commands.add_parser("extract-runtime", help="only course_utils' messages (and their .mo files)")
    commands.add_parser("status", help="how much of each catalog is translated")
    check = commands.add_parser("check", help="every missing, stale or broken translation; exit status 1 if any")
    check.add_argument("--lang", choices=LANGUAGES, action="append")
    check.add_argument("names", nargs="*", help="notebooks (02 or 02_sigmoid), docs, docs/handouts/02_sigmoid "
                                                "or course_utils; default all")
    make = commands.add_parser("build", help="build notebooks/<lang>/NN_*.ipynb and docs/**/*.<lang>.md "
                                             "from the English and the catalogs")
    make.add_argument("--lang", choices=LANGUAGES, action="append")
    make.add_argument("--no-execute", action="store_true", help="write the sources only (no outputs)")
    make.add_argument("names", nargs="*", help="notebooks (02 or 02_sigmoid), docs, or one document "
                                               "(docs/handouts/02_sigmoid); default all")
    args = parser.parse_args(argv)

    if args.command == "update":
        changed = update(args.names)
        print("\n".join(f"updated {name}" for name in changed) or "catalogs already up to date")
    elif args.command == "extract-runtime":
        changed = extract_runtime()
        print("\n".join(f"updated {name}" for name in changed) or "course_utils catalogs already up to date")
    elif args.command == "status":
        status()
    elif args.command == "check":
        names = select_catalogs(args.names)
        findings = [f for lang in (args.lang or LANGUAGES) for name in names for f in find_problems(lang, name)]
        print("\n".join(map(str, findings)) or "every translation is present, current and keeps code, maths, links")
        return 1 if findings else 0
    elif args.command == "build":
        return build(args.lang or list(LANGUAGES), args.names, execute=not args.no_execute)
    return 0


if __name__ == "__main__":
    sys.exit(main())
