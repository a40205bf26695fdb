"""Find English sentences in the text a learner reads in a Korean or Japanese edition.

Used by tests/test_browser_i18n.py on what JupyterLab renders (markdown, text outputs, widgets).
The issue's promise is that a learner of ``notebooks/ko`` or ``notebooks/ja`` "meets no English
sentence outside code"; this module turns that into a rule a test can apply:

* An **English run** is a stretch of one line made of at least :data:`MIN_WORDS` English words
  (ASCII words of two or more letters), with nothing between them but spaces, digits,
  punctuation and *neutral* tokens. A newline, a tab or any non-ASCII letter (Hangul, kana,
  kanji, Greek) ends a run, so a Korean sentence that names ``ReLU`` or ``float64`` is not English.
* **Neutral** tokens count neither way: single letters (``x``, ``w``, ``a``), identifiers and
  paths (``np.exp``, ``float64``, ``w1``, ``my_sigmoid``, ``notebooks/ko``), URLs, acronyms in
  capitals (``GPU``, ``CJK``, ``MIT``), names with an inner capital (``NumPy``, ``JupyterLab``,
  ``ReLU``, ``DigitalOcean``, ``RuntimeWarning``) and the short list :data:`TECHNICAL_NAMES`.
* Maths written as ``$...$`` is dropped (it is code-like and identical in every edition).
* In a reference list, authors, publishers and the quoted title of a cited work are names, not
  sentences: callers mark such text as a *citation*, and there :func:`english_runs` drops what is
  inside quotes and does not count capitalised words (lower-case English prose still counts).
* Text that a code cell prints from its own string literals is code (the issue keeps code
  identical in every edition): :func:`strip_code_literals` removes it before the search, so
  what remains of an output is what ``course_utils`` (or a library) wrote.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

#: A run of this many English words is a sentence (or a phrase long enough to read as English).
MIN_WORDS = 4

#: Names a Korean or Japanese text keeps in Latin letters (products, people's tools, maths functions).
#: Names with an inner capital (NumPy, JupyterLab, ReLU) and acronyms (GPU) are neutral already.
TECHNICAL_NAMES = frozenset({
    "Python", "Jupyter", "Binder", "JupyterHub", "matplotlib", "numpy", "ipywidgets", "pytest", "nbval",
    "Chromium", "Noto", "Sans",
    "tanh", "exp", "log", "ln", "sin", "cos", "max", "min", "argmax", "softmax", "sigmoid", "relu",
})

#: ``$...$`` and ``$$...$$`` (maths left as source, e.g. before MathJax typesets it).
_MATHS = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$", re.S)
#: Quoted titles (cited works): "...", “...”, 「...」, 『...』.
_QUOTED = re.compile(r'"[^"\n]*"|“[^”\n]*”|「[^」\n]*」|『[^』\n]*』')
#: URLs and bare web addresses.
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+|www\.\S+")
#: Identifiers and paths: two or more names joined by dots or slashes (``np.exp``, ``notebooks/ko``).
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:[./][A-Za-z0-9_]+)+")
#: One word-like token: letters, digits, underscores and apostrophes (``don't``), starting with a letter.
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_']*")


@dataclass(frozen=True)
class Leak:
    """One English run: where it was and the text itself."""

    where: str   #: e.g. "cell 83 output", "cell 4 markdown", "widget in cell 79"
    text: str    #: the run, from its first English word to its last

    def __str__(self) -> str:
        return f"{self.where}: {self.text!r}"


def is_english_word(token: str, citation: bool = False) -> bool:
    """True for a token that counts towards an English run (see the module docstring).

    In a reference-list entry (``citation``) a capitalised word is a name (an author, a publisher,
    a title), not prose.
    """
    letters = token.replace("'", "")
    if len(letters) < 2 or not letters.isalpha():   # single letters, identifiers with digits or _
        return False
    if letters.isupper():                           # acronyms: GPU, CJK, MIT
        return False
    if any(c.isupper() for c in letters[1:]):       # inner capital: NumPy, JupyterLab, ReLU
        return False
    if citation and letters[0].isupper():
        return False
    return token not in TECHNICAL_NAMES


def english_runs(text: str, citation: bool = False, min_words: int = MIN_WORDS) -> list[str]:
    """The English runs of ``text`` that have at least ``min_words`` English words.

    Parameters
    ----------
    text : str
        Visible text; lines are separate (a newline or tab ends a run).
    citation : bool
        True for an entry of a reference list: quoted titles are dropped first, and capitalised
        words (names of authors, publishers, works) do not count.
    min_words : int
        How many English words make a run a leak.

    Returns
    -------
    list of str
        Each run as it stands in ``text``, from its first English word to its last.
    """
    text = _MATHS.sub("\n", text)
    if citation:
        text = _QUOTED.sub("\n", text)
    text = _URL.sub(" ", text)
    text = _DOTTED.sub(" ", text)
    runs = []
    for line in re.split(r"[\n\t]", text):
        words: list[re.Match] = []
        position = 0

        def close_run() -> None:
            if len(words) >= min_words:
                runs.append(line[words[0].start():words[-1].end()])
            words.clear()

        for token in _WORD.finditer(line):
            between = line[position:token.start()]
            if any(c.isalpha() and not c.isascii() for c in between):  # Hangul, kana, kanji, Greek...
                close_run()
            if is_english_word(token.group(), citation):
                words.append(token)
            position = token.end()
        if any(c.isalpha() and not c.isascii() for c in line[position:]):
            close_run()
        close_run()
    return runs


def has_english_word(text: str) -> bool:
    """True if ``text`` holds at least one English word (outside maths, URLs and identifiers)."""
    return bool(english_runs(text, min_words=1))


def string_literals(source: str) -> list[str]:
    """The text that Python code can print from its own literals, in pieces.

    Every string constant, and the literal parts of every f-string; a ``%`` format such as
    ``'on (%.1f) gives %.1f'`` is cut at its conversions. Pieces are split at newlines.
    Source that does not parse gives no pieces.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    pieces: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            pieces.extend(re.split(r"%[-+ #0-9.]*[a-zA-Z%]|\n", node.value))
    return [piece for piece in pieces if re.search(r"[A-Za-z]{2}", piece)]


def strip_code_literals(output: str, source: str) -> str:
    """``output`` with every piece of the cell's own string literals cut out (replaced by a newline).

    What a cell prints from the text written in its code is code, identical in every edition;
    what is left (values, and messages from ``course_utils`` or a library) is checked.
    """
    for piece in sorted(set(string_literals(source)), key=len, reverse=True):
        if piece.strip():
            output = output.replace(piece, "\n")
    return output
