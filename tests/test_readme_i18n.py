"""The Korean and Japanese READMEs, the language switch, and the map of source tutorials (docs/sources.md).

* Every README starts with the same language switch, which links the other two and marks its own.
* ``README.ko.md`` and ``README.ja.md`` lead with the two commands, state the Python range of the
  Makefile, clone and launch the repository of pyproject.toml, open their own edition of notebook 00 on
  Binder, and list every notebook of their edition.
* Every relative link in those two files and in ``docs/sources.md`` points at a file that exists.
* Every notebook that ``docs/sources.md`` names exists, and every section number (§) it cites is a
  numbered heading of that notebook, in the English, Korean and Japanese editions alike.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
REPOSITORY_URL = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]["Repository"]
REPOSITORY = REPOSITORY_URL.removeprefix("https://github.com/")

#: The language of each README, and the name its switch shows.
READMES = {"en": "README.md", "ko": "README.ko.md", "ja": "README.ja.md"}
LANGUAGE_NAMES = {"en": "English", "ko": "한국어", "ja": "日本語"}
TRANSLATED = ["ko", "ja"]
SOURCES_MAP = ROOT / "docs" / "sources.md"

MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
NOTEBOOK_LINK = re.compile(r"\]\(((?:\.\./)?notebooks/[^)\s]+\.ipynb)\)")
SECTION_REFERENCE = re.compile(r"§(\d+(?:\.\d+)?)")
NUMBERED_HEADING = re.compile(r"^#{2,3} (\d+(?:\.\d+)?)\.? ", flags=re.M)


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def language_switch(current: str) -> str:
    """The first line of the README in language ``current``: its own name in bold, the others linked."""
    parts = [f"**{LANGUAGE_NAMES[lang]}**" if lang == current else f"[{LANGUAGE_NAMES[lang]}]({READMES[lang]})"
             for lang in READMES]
    return " · ".join(parts)


def relative_links(text: str) -> list[str]:
    """Targets of the markdown links and images in ``text`` that point inside the repository."""
    targets = []
    for target in MARKDOWN_LINK.findall(text):
        if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue  # https:, mailto:, or an anchor in the same page
        targets.append(unquote(target.split("#", 1)[0]))
    return targets


def section_numbers(notebook: Path) -> set[str]:
    """The numbers of a notebook's numbered headings: "2" for "## 2. ...", "2.1" for "### 2.1 ..."."""
    cells = json.loads(read(notebook))["cells"]
    text = "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")
    return set(NUMBERED_HEADING.findall(text))


def python_range() -> str:
    makefile = read(ROOT / "Makefile")
    low, high = (re.search(rf"^{name}\s*[:?]?=\s*(3\.\d+)\s*$", makefile, flags=re.M).group(1)
                 for name in ("PYTHON_MIN", "PYTHON_MAX"))
    return f"Python {low}–{high}"


def english_series() -> list[str]:
    return sorted(path.name for path in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


# ------------------------------------------------------------------------------------------
# The language switch
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", list(READMES))
def test_every_readme_starts_with_the_language_switch(lang):
    path = ROOT / READMES[lang]
    assert path.is_file(), f"{READMES[lang]} is missing"
    first_line = read(path).splitlines()[0]
    assert first_line == language_switch(lang), f"{READMES[lang]} should start with: {language_switch(lang)}"


def test_the_english_readme_links_the_map_of_sources():
    assert "](docs/sources.md)" in read(ROOT / "README.md")


# ------------------------------------------------------------------------------------------
# README.ko.md and README.ja.md
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", TRANSLATED)
def test_translated_readme_leads_with_the_two_commands(lang):
    text = read(ROOT / READMES[lang])
    first_code_block = re.search(r"```bash\n(.*?)```", text, flags=re.S).group(1)
    assert first_code_block.lstrip().startswith("make lab") and "make test" in first_code_block
    assert python_range() in text, f"{READMES[lang]} should state the Makefile's range, {python_range()}"
    assert "make update" in text and f"make reset NB={lang}/02" in text, "reset names the edition's notebook"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translated_readme_clones_the_repository_of_pyproject(lang):
    clones = re.findall(r"git clone (https://\S+?)(?:\.git)?(?=[\s`]|$)", read(ROOT / READMES[lang]), flags=re.M)
    assert clones == [REPOSITORY_URL], f"{READMES[lang]}: clone {REPOSITORY_URL} (pyproject.toml), found {clones}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translated_readme_opens_its_own_notebook_00_on_binder(lang):
    text = read(ROOT / READMES[lang])
    badges = re.findall(r"\[!\[[^\]]*\]\(https://mybinder\.org/badge_logo\.svg\)\]\((https://mybinder\.org/v2/gh/[^)]+)\)",
                        text)
    links = re.findall(r"https://mybinder\.org/v2/gh/[^\s)\]\"'<>]+", text)
    assert badges, f"{READMES[lang]} needs a Binder badge"
    assert set(links) == set(badges), f"{READMES[lang]}: every Binder link should be the badge's: {links}"
    for link in links:
        url = urlparse(link)
        owner_repo_ref = url.path.removeprefix("/v2/gh/")
        assert owner_repo_ref.startswith(f"{REPOSITORY}/"), f"{link}: not the repository of pyproject.toml"
        assert owner_repo_ref.removeprefix(f"{REPOSITORY}/"), f"{link}: no branch (e.g. HEAD)"
        urlpath = parse_qs(url.query).get("urlpath", [""])[0]
        assert urlpath.startswith("lab/tree/"), f"{link}: urlpath should open JupyterLab (lab/tree/...)"
        target = urlpath.removeprefix("lab/tree/")
        assert re.fullmatch(rf"notebooks/{lang}/00_[^/]+\.ipynb", target), f"{link}: should open notebooks/{lang}/00_*"
        assert (ROOT / target).is_file(), f"{link}: {target} does not exist"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translated_readme_lists_every_notebook_of_its_edition(lang):
    text = read(ROOT / READMES[lang])
    linked = sorted(Path(t).name for t in re.findall(rf"\]\((notebooks/{lang}/[^)\s]+\.ipynb)\)", text))
    edition = sorted(path.name for path in (ROOT / "notebooks" / lang).glob("[0-9][0-9]_*.ipynb"))
    assert edition == english_series(), f"notebooks/{lang}/ should hold every notebook of the series"
    assert linked == edition, f"{READMES[lang]} should link each notebook of notebooks/{lang}/ once"
    assert not re.search(r"\]\(notebooks/[0-9]", text), f"{READMES[lang]} should link its own edition, not the English"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translated_readme_uses_the_glossary_terms(lang):
    """The key terms of the READMEs are written as the glossary writes them in that language."""
    column = {"ko": 1, "ja": 2}[lang]
    glossary = {}
    for line in read(ROOT / "docs" / "glossary.md").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0] not in ("English", "---"):
            glossary[cells[0]] = cells[column].split(" (")[0]  # the main term, without the alternatives
    text = read(ROOT / READMES[lang])
    terms = ["activation function", "sigmoid (logistic) function", "perceptron", "softmax function",
             "vanishing gradient (problem)", "backpropagation", "computational graph",
             "step function (binary step, threshold function)", "dead ReLU (dead unit, dead)"]
    missing = [f"{term}: {glossary[term]}" for term in terms if glossary[term] not in text]
    assert not missing, f"{READMES[lang]} should use the glossary's terms: {missing}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translated_readme_links_the_glossary_and_the_map_of_sources(lang):
    text = read(ROOT / READMES[lang])
    assert "](docs/glossary.md)" in text and "](docs/sources.md)" in text


# ------------------------------------------------------------------------------------------
# Relative links
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["README.ko.md", "README.ja.md", "docs/sources.md"])
def test_every_relative_link_resolves(name):
    path = ROOT / name
    links = relative_links(read(path))
    assert links, f"{name} has no relative links to check"
    broken = [target for target in links if not (path.parent / target).resolve().exists()]
    assert not broken, f"{name}: links to missing files: {broken}"
    outside = [target for target in links if not (path.parent / target).resolve().is_relative_to(ROOT)]
    assert not outside, f"{name}: links outside the repository: {outside}"


def test_relative_links_are_found_and_checked():
    """The link check itself: it finds relative links, skips web addresses and anchors, and drops fragments."""
    text = "[a](notebooks/x.ipynb) [b](https://example.org/y) [c](#here) ![d](docs/e.png) [f](g.md#part)"
    assert relative_links(text) == ["notebooks/x.ipynb", "docs/e.png", "g.md"]


# ------------------------------------------------------------------------------------------
# docs/sources.md: notebooks and section numbers
# ------------------------------------------------------------------------------------------

def sources_map_rows() -> list[tuple[str, list[str]]]:
    """(notebook path relative to the repository, cited section numbers) for every table row of the map."""
    rows = []
    for line in read(SOURCES_MAP).splitlines():
        notebooks = NOTEBOOK_LINK.findall(line)
        if line.startswith("|") and notebooks:
            assert len(notebooks) == 1, f"one notebook per row: {line}"
            target = (SOURCES_MAP.parent / notebooks[0]).resolve().relative_to(ROOT).as_posix()
            rows.append((target, SECTION_REFERENCE.findall(line)))
    return rows


def test_the_map_covers_each_source_with_rows():
    text = read(SOURCES_MAP)
    sources = re.split(r"^## ", text, flags=re.M)[1:]
    assert len(sources) >= 4, "one section per source tutorial"
    for source in sources:
        title = source.splitlines()[0]
        rows = [line for line in source.splitlines() if line.startswith("|") and NOTEBOOK_LINK.search(line)]
        assert rows, f"{title}: no notebook rows"
        assert all(SECTION_REFERENCE.search(row) for row in rows), f"{title}: every row cites a section"


def test_every_notebook_in_the_map_exists():
    rows = sources_map_rows()
    assert rows
    missing = sorted({notebook for notebook, _ in rows if not (ROOT / notebook).is_file()})
    assert not missing, f"docs/sources.md names notebooks that do not exist: {missing}"
    assert all(re.fullmatch(r"notebooks/[0-9]{2}_[^/]+\.ipynb", notebook) for notebook, _ in rows), (
        "the map's tables should point at the English notebooks")


@pytest.mark.parametrize("edition", ["", "ko/", "ja/"], ids=["en", "ko", "ja"])
def test_every_cited_section_is_a_heading_of_its_notebook(edition):
    wrong = []
    for notebook, sections in sources_map_rows():
        path = ROOT / notebook.replace("notebooks/", f"notebooks/{edition}", 1)
        headings = section_numbers(path)
        wrong += [f"{path.relative_to(ROOT)} §{number}" for number in sections if number not in headings]
    assert not wrong, f"docs/sources.md cites sections that are not headings: {wrong}"


def test_section_numbers_are_read_from_headings():
    """The heading parser itself, on the shapes the notebooks use."""
    notebook = ROOT / "notebooks" / "02_sigmoid.ipynb"
    numbers = section_numbers(notebook)
    assert {"1", "2", "2.1", "11", "11.1"} <= numbers
    assert "12" not in numbers and "Summary" not in numbers
