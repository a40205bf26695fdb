"""The glossary (docs/glossary.md) has an entry for every term the notebooks define in **bold**,
and each entry names the notebook where the term is first defined.

The notebooks follow one convention: a term is set in bold where it is defined. So

* every bold term of a notebook's markdown must match an entry of the glossary, and
* an entry's "Notebook" column starts with the first notebook (in course order) that sets
  one of the entry's names in bold.

Matching is forgiving about form, not about content: case, plurals ("hidden layers"), a
trailing "function" ("the **sigmoid**" = "sigmoid function"), a leading "not" ("not linearly
separable") and ``_`` for ``-`` (``log_softmax``) do not matter. An entry's English cell may
give several names: "A, B", "A / B" and "A (B)", which means A, B, "A B" and, for
"sigmoid (logistic) function", "logistic function".

Bold text that is not a term is recognised by its place or its form: the titles of the
pitfalls in a "Common pitfalls" section are skipped; a run-in heading or label ends with
``.``, ``:``, ``?`` or ``!`` ("**Learning objectives.**", a pitfall's title); code, maths or a
number means an example ("**`max(0, x)` on an array**", "**greater than 1**"); more than four
words make a sentence, not a term. The few remaining bold words that only emphasise are listed
in ``EMPHASIS`` below.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
GLOSSARY = ROOT / "docs" / "glossary.md"

#: Bold that emphasises a word rather than defining a term (notebook: the words). Writing these
#: in *italics* instead would let this list shrink.
EMPHASIS = {
    # 00: labels of the welcome page and of the markdown conventions
    "bold", "on binder", "instructors", "speaker notes",
    # 02: run-in labels of a "what to notice" list, and stressed words
    "both",
    # 03
    "only through", "two", "two layers",
    # 04
    "every", "in the first layer", "in a deeper layer", "left", "yes",
    # 05
    "sharper", "flatter", "mean",
}

_CODE_OR_MATHS = re.compile(r"```.*?```|`[^`\n]*`|\$\$.*?\$\$|\$[^$\n]*\$", flags=re.S)


def normalise(text: str) -> str:
    """Lower case, single spaces, ``-`` for ``_``, no trailing punctuation, no leading "not" or trailing "function"."""
    text = " ".join(text.lower().replace("_", "-").replace("\u2019", "'").split()).strip(" .,;")
    text = re.sub(r"^not ", "", text)
    text = re.sub(r" functions?$", "", text)
    return text


def singular_forms(term: str) -> set[str]:
    """The term and the candidates for its singular (only the last word changes): layers -> layer, caches -> cache."""
    forms = {term}
    if term.endswith("ies"):
        forms.add(term[:-3] + "y")
    if term.endswith("es"):
        forms.add(term[:-2])
    if term.endswith("s") and not term.endswith("ss"):
        forms.add(term[:-1])
    return forms


def names_of_entry(english: str) -> set[str]:
    """Every name an entry's English cell gives, normalised (see the module docstring)."""
    names = set()
    for part in re.split(r",\s+|\s+/\s+|;\s+", re.sub(r"\(([^)]*)\)", lambda m: m.group(0).replace(",", "\0"),
                                                       english)):
        part = part.replace("\0", ",")
        names.add(part)
        for match in re.finditer(r"\s*\(([^)]*)\)", part):
            before, after = part[:match.start()], part[match.end():]
            inside = [alternative.strip() for alternative in match.group(1).split(",")]
            names.add(before + after)  # "ReLU (rectified linear unit)" -> "ReLU"
            for alternative in inside:
                names.add(alternative)  # -> "rectified linear unit"
                names.add(f"{before} {alternative}{after}")  # "vanishing gradient (problem)" -> "... problem"
                words = before.split()
                if words:  # "sigmoid (logistic) function" -> "logistic function"
                    names.add(" ".join(words[:-1] + [alternative]) + after)
    return {normalise(name) for name in names if name.strip()}


def glossary_entries() -> list[dict]:
    entries = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| ") or line.startswith("| English"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        entries.append({"english": cells[0], "names": names_of_entry(cells[0]), "notebook": cells[-1]})
    return entries


def is_a_term(bold: str) -> bool:
    """False for bold text whose form shows it is not a term (see the module docstring)."""
    text = " ".join(bold.split())
    if text.endswith((".", ":", "?", "!")) or "`" in text or "$" in text or re.search(r"\d", text):
        return False
    if len(text.split()) > 4:
        return False
    return normalise(text) not in EMPHASIS


def bold_spans() -> list[tuple[str, str]]:
    """(notebook number, bold text) for every bold span of every markdown cell, in course order."""
    found = []
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] != "markdown":
                continue
            heading = "".join(cell["source"]).lstrip().split("\n", 1)[0].lower()
            if heading.startswith("#") and "pitfall" in heading:
                continue  # a pitfalls section starts each pitfall with its bold title
            text = _CODE_OR_MATHS.sub(lambda m: "`code`", "".join(cell["source"]))
            for match in re.finditer(r"\*\*(.+?)\*\*", text, flags=re.S):
                found.append((path.name[:2], match.group(1)))
    return found


def bold_terms() -> list[tuple[str, str]]:
    return [(notebook, bold) for notebook, bold in bold_spans() if is_a_term(bold)]


def matching_entries(term: str, entries: list[dict]) -> list[dict]:
    forms = singular_forms(normalise(term))
    for name in names_of_entry(" ".join(term.split())):  # "Glorot (or Xavier) initialisation" -> "glorot initialisation"
        forms |= singular_forms(name)
    return [entry for entry in entries if forms & entry["names"]]


# ------------------------------------------------------------------ the tests
def test_the_notebooks_have_bold_terms_to_check():
    assert len(NOTEBOOKS) == 8
    assert len(bold_terms()) >= 100


def test_every_bold_term_has_a_glossary_entry():
    entries = glossary_entries()
    missing = sorted({f"{notebook}: {' '.join(bold.split())}" for notebook, bold in bold_terms()
                      if not matching_entries(bold, entries)})
    assert not missing, "bold terms without a glossary entry (add one, or list non-terms in EMPHASIS):\n" + \
        "\n".join(missing)


def test_every_entry_names_the_notebook_that_first_defines_it():
    entries = glossary_entries()
    first_defined: dict[str, str] = {}
    for notebook, bold in bold_terms():  # in course order, so the first notebook wins
        for entry in matching_entries(bold, entries):
            first_defined.setdefault(entry["english"], notebook)
    wrong = [f"{entry['english']}: the glossary says {entry['notebook']}, first defined in "
             f"{first_defined[entry['english']]}" for entry in entries
             if entry["english"] in first_defined
             and entry["notebook"].split(",")[0].strip() != first_defined[entry["english"]]]
    assert not wrong, "\n".join(wrong)


def test_emphasis_list_holds_only_bold_that_the_notebooks_still_use():
    used = {normalise(bold) for _, bold in bold_spans()}
    assert EMPHASIS <= used, f"no longer bold in any notebook, remove from EMPHASIS: {sorted(EMPHASIS - used)}"


@pytest.mark.parametrize("english, name", [
    ("sigmoid (logistic) function", "logistic"),
    ("sigmoid (logistic) function", "sigmoid"),
    ("ReLU (rectified linear unit)", "rectified linear unit"),
    ("GELU, SiLU (Swish)", "swish"),
    ("vanishing gradient (problem)", "vanishing gradient problem"),
    ("log-softmax", "log-softmax"),
])
def test_entry_names_are_read_as_documented(english, name):
    assert name in names_of_entry(english)


def test_bold_text_that_is_not_a_term_is_recognised_by_its_form():
    assert not is_a_term("Learning objectives.") and not is_a_term("Estimated time:")
    assert not is_a_term("greater than 1") and not is_a_term("`np.max(0, x)` instead of `np.maximum(0, x)`")
    assert not is_a_term("giving up on a plateau too early")
    assert is_a_term("pre-activation") and is_a_term("full-batch gradient\ndescent")
