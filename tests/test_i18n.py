"""The Korean and Japanese editions: catalogs, build and run-time messages (tools/i18n.py, course_utils/i18n.py).

Two kinds of test live here.

* Unmarked: the machinery. Extraction gives back the English exactly; a translation replaces
  every sentence and no code; stale translations are marked fuzzy with the old English; a
  translation that loses code, maths, a link or a number is refused; ``course_utils``' messages
  follow ``set_language()``; the compiled ``.mo`` files match their ``.po``.
* Marked ``translations``: the state of the translations themselves. Every message of every
  catalog is translated and not stale, ``notebooks/ko`` and ``notebooks/ja`` are what the build
  makes from the current English and catalogs, and each notebook's glossary terms appear in its
  translated form. They fail (and name the language, notebook and cell) until translators finish:
  ``pytest -m "not translations"`` leaves them out.
"""

from __future__ import annotations

import ast
import gettext
import importlib.util
import io
import os
import re
import sys
import tokenize
import tomllib
import types
import warnings
from pathlib import Path

import nbformat
import polib
import pytest

from course_utils import i18n as runtime

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
tool = importlib.util.module_from_spec(spec)
sys.modules["i18n_tool"] = tool  # dataclasses look their module up there
spec.loader.exec_module(tool)

NOTEBOOKS = tool.english_notebooks()
DOCS = tool.english_docs()
CATALOGS = tool.catalog_names()


@pytest.fixture(autouse=True)
def english_afterwards():
    """Every test leaves course_utils in English, with matplotlib's usual font."""
    yield
    runtime.set_language("en")


def pseudo_translation(units: list) -> polib.POFile:
    """A catalog whose every translation is the English plus a Korean marker (keeps code, maths, links)."""
    po = tool.make_template(units, "test")
    for entry in po:
        entry.msgstr = entry.msgid + " 〔번역〕"
    return po


def without_comments(source: str) -> str:
    """A code cell's source with every comment cut off (what must stay identical across editions)."""
    lines = source.split("\n")
    for row, column, _ in sorted(tool.comment_tokens(source), reverse=True):
        lines[row] = lines[row][:column].rstrip()
    return "\n".join(lines)


def string_literals(source: str) -> list[tuple[int, int, str]]:
    """``(start, end, text)`` of every string literal token of ``source`` (character offsets; f-strings whole)."""
    starts = tool.line_starts(source)
    literals, depth, opened = [], 0, None
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        name = tokenize.tok_name[token.type]
        if name == "STRING" and depth == 0:
            begin, end = token.start, token.end
        elif name == "FSTRING_START":  # Python 3.12+: an f-string is several tokens
            depth += 1
            opened = token.start if depth == 1 else opened
            continue
        elif name == "FSTRING_END":
            depth -= 1
            if depth:
                continue
            begin, end = opened, token.end
        else:
            continue
        start, stop = starts[begin[0] - 1] + begin[1], starts[end[0] - 1] + end[1]
        literals.append((start, stop, source[start:stop]))
    return literals


def blank_literals(source: str, spans: list[tuple[int, int]]) -> str:
    for start, end in sorted(spans, reverse=True):
        source = source[:start] + '"…"' + source[end:]
    return source


# --------------------------------------------------------------------------- extraction
def test_there_are_notebooks_and_messages_to_translate():
    assert len(NOTEBOOKS) == 8
    for path in NOTEBOOKS:
        units = tool.notebook_units(path)
        kinds = {unit.kind for unit in units}
        assert {"markdown", "trailing-comment"} <= kinds, path.name
        contexts = [unit.context for unit in units]
        assert len(contexts) == len(set(contexts)), f"{path.name}: two messages share a context"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_cutting_markdown_into_paragraphs_gives_the_cell_back(path):
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            pieces = tool.split_markdown(cell.source)
            assert "".join(text for _, text in pieces) == cell.source
            assert all(text.strip() for kind, text in pieces if kind == "block")


def test_a_fenced_code_block_and_a_display_formula_stay_in_one_paragraph():
    source = "Run:\n\n```python\nx = 1\n\ny = 2\n```\n\n$$\na\n\nb\n$$\n\nEnd."
    blocks = [text for kind, text in tool.split_markdown(source) if kind == "block"]
    assert blocks == ["Run:", "```python\nx = 1\n\ny = 2\n```", "$$\na\n\nb\n$$", "End."]
    assert [tool.is_translatable(block) for block in blocks] == [True, False, False, True]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_an_untranslated_edition_is_the_english_with_links_one_folder_up(path):
    """With every translation equal to its English, the edition differs only where it must."""
    po = tool.make_template(tool.notebook_units(path), "test")
    for entry in po:
        entry.msgstr = entry.msgid
    english = nbformat.read(path, as_version=4).cells
    edition = [cell for cell in tool.translated_cells(path, "ko", po, setup_has_lang=False)
               if cell.get("id") != tool.LANGUAGE_CELL_ID]
    assert len(edition) == len(english)
    for original, cell in zip(english, edition):
        expected = original.source.replace("](../", "](../../")
        for target in set(re.findall(r"\]\(\.\./\.\./([^)#\s]+)\.md", expected)):  # a translated document
            if (ROOT / f"{target}.ko.md").exists():
                expected = expected.replace(f"](../../{target}.md", f"](../../{target}.ko.md")
        assert cell.source == expected, f"{path.name} cell {original.get('id')}"
        assert cell.cell_type == original.cell_type and cell.get("id") == original.get("id")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_translation_reaches_every_paragraph_comment_and_figure_text_and_no_code(path):
    """The only differences in code: comments, and the figure texts' string literals (each one whole)."""
    units = tool.notebook_units(path)
    english = nbformat.read(path, as_version=4).cells
    edition = [cell for cell in tool.translated_cells(path, "ko", pseudo_translation(units), setup_has_lang=False)
               if cell.get("id") != tool.LANGUAGE_CELL_ID]
    translated = sum(cell.source.count("〔번역〕") for cell in edition)
    assert translated == len(units)
    for original, cell in zip(english, edition):
        if original.cell_type != "code":
            continue
        if original.source.lstrip().startswith("%"):
            assert without_comments(cell.source) == without_comments(original.source), f"code changed in {original.id}"
            continue
        ast.parse(cell.source)  # still valid Python
        english_texts = [(t.start, t.end) for t in tool.find_figure_texts(original.source)]
        edition_texts = [(start, end) for start, end, text in string_literals(cell.source) if "〔번역〕" in text]
        assert len(edition_texts) == len(english_texts), f"{original.id}: a figure text not translated, or split"
        assert without_comments(blank_literals(cell.source, edition_texts)) == \
            without_comments(blank_literals(original.source, english_texts)), f"code changed in {original.id}"
        assert cell.outputs == [] and cell.execution_count is None


def test_teaching_comments_are_found_and_code_or_markers_are_not():
    source = "\n".join([
        "# NBVAL_IGNORE_OUTPUT",
        "# Bisection assumes the curve never dips;",
        "# check a million points.",
        "x = '# not a comment'  # seeds NumPy",
        "# nb02.sigmoid.hint()",
        "# answer = 3",
        "    # indented explanation",
    ])
    comments = tool.find_comments(source)
    assert [(c.text, c.trailing) for c in comments] == [
        ("Bisection assumes the curve never dips;\ncheck a million points.", False),
        ("seeds NumPy", True),
        ("indented explanation", False),
    ]
    rebuilt = tool.put_comments(source, comments, ["이분법은\n백만 점", "시드", "들여쓴 설명"])
    assert rebuilt.split("\n") == [
        "# NBVAL_IGNORE_OUTPUT", "# 이분법은", "# 백만 점", "x = '# not a comment'  # 시드",
        "# nb02.sigmoid.hint()", "# answer = 3", "    # 들여쓴 설명",
    ]


# --------------------------------------------------------------------------- figure text in code
@pytest.mark.parametrize("text", ["x", "z", "f(z)", "σ(z)", "w1", "x2", "$\\sigma(z)$", "tanh(x)", "ReLU", "GELU",
                                  "Sigmoid(x)", "sigma'(z_k)", "2 sigma(2x) - 1", "leaky_relu (α = 0.1)", "ln 2",
                                  "softmax([z, 0])[0]", "y = x²", "", "{name}, {title}", "lr = {lr}", "T = {T}"])
def test_figure_texts_of_only_maths_symbols_and_names_stay_as_they_are(text):
    assert not tool.is_figure_text(text, is_f=True)


@pytest.mark.parametrize("text", ["epoch", "OR line", "class {label}", "hidden neuron {unit + 1}: $z = 0$",
                                  "tanh is a stretched and shifted sigmoid", "sigmoid", "ln 2 (answer 0.5 everywhere)",
                                  "log(softmax)  (-inf not drawn)", "‖∂L/∂W‖ (log scale)", "活性化関数", "출력"])
def test_figure_texts_with_a_word_are_translated(text):
    assert tool.is_figure_text(text, is_f=True)


TRICKY_CELL = """\
name, weight, bias = "sigmoid", 2.5, -1
ax.set_title("The 'sigmoid' curve"); ax.set_xlabel('input "x"')  # two texts on one line
ax.plot(x, y, color="red", label=f"{name} with weight {weight:.1f}, bias {bias:+d} {{sic}}",
        linestyle="--")
fig.suptitle("Step perceptrons\\n(shaded: output 1)")
cu.plotting.style_axes(
    ax,
    title=r"the sigmoid $\\sigma(z)$ of {x}",
    xlabel='''input z''',
)
ax.text(0.5, 0.5, "a note in the plot", fontsize=9)
ax.legend(["first line", "second line"])
ax.set_ylabel("y")  # only a symbol: not a message
"""


class Recorder:
    """Stands for matplotlib's axes and figure and for ``cu.plotting``: records every call, with ``ax`` for itself."""

    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)

        def call(*args, **kwargs):
            self.calls.append((name, tuple("ax" if a is self else a for a in args), kwargs))
        return call


def drawn_texts(source: str) -> list:
    recorder = Recorder()
    namespace = {"ax": recorder, "fig": recorder, "cu": types.SimpleNamespace(plotting=recorder), "x": 0, "y": 1}
    exec(compile(source, "cell", "exec"), namespace)
    return recorder.calls


def test_figure_text_translations_are_written_back_as_code_that_runs():
    texts = tool.find_figure_texts(TRICKY_CELL)
    assert [(t.prefix, t.quote, t.body) for t in texts] == [
        ("", '"', "The 'sigmoid' curve"), ("", "'", 'input "x"'),
        ("f", '"', "{name} with weight {weight:.1f}, bias {bias:+d} {{sic}}"),
        ("", '"', "Step perceptrons\\n(shaded: output 1)"), ("r", '"', "the sigmoid $\\sigma(z)$ of {x}"),
        ("", "'''", "input z"), ("", '"', "a note in the plot"), ("", '"', "first line"), ("", '"', "second line")]
    korean = ['"시그모이드" 곡선', "입력 'x'", "{name}, 가중치 {weight:.1f}, 편향 {bias:+d} {{원문}}",
              "계단 퍼셉트론\\n(색칠: 출력 1)", "{x}: $\\sigma(z)$", "입력\nz", "그림 속 메모",
              "첫째 선", "둘째 선"]
    for text, translation in zip(texts, korean):
        assert tool.translation_problems(text.body, translation, "figure-text", text.delimiters) == []
    built = tool.put_figure_texts(TRICKY_CELL, list(zip(texts, korean)))
    ast.parse(built)
    assert built.split("\n")[3] == '        linestyle="--")'  # the code around the texts is untouched
    english_calls, built_calls = drawn_texts(TRICKY_CELL), drawn_texts(built)
    assert [call[0] for call in built_calls] == [call[0] for call in english_calls]
    assert built_calls == [
        ("set_title", ('"시그모이드" 곡선',), {}),
        ("set_xlabel", ("입력 'x'",), {}),
        ("plot", (0, 1), {"color": "red", "label": "sigmoid, 가중치 2.5, 편향 -1 {원문}", "linestyle": "--"}),
        ("suptitle", ("계단 퍼셉트론\n(색칠: 출력 1)",), {}),
        ("style_axes", ("ax",), {"title": "{x}: $\\sigma(z)$", "xlabel": "입력\nz"}),
        ("text", (0.5, 0.5, "그림 속 메모"), {"fontsize": 9}),
        ("legend", (["첫째 선", "둘째 선"],), {}),
        ("set_ylabel", ("y",), {}),
    ]


def test_figure_texts_that_reach_a_figure_through_a_variable_used_only_for_that_are_found():
    source = "\n".join([
        'for label, f, colour in [("no activation", identity, "#999"), ("ReLU between layers", relu, "#D55")]:',
        '    ax.plot(x, f(x), color=colour, label=label)',
        'titles = {"small": "small weights", "he": "He N(0, 2/32)"}',
        'for ax, init in zip(axes, ["small", "he"]):',
        '    ax.set_title(f"{init}: {titles[init]}")',
        'for ax, name in zip(axes, ["sigmoid", "tanh"]):',   # name is also a key: never translated
        '    ax.plot(x, y, color=COLOURS[name], label=f"{name} inputs")',
        'for word in ["first curve", "second curve"]:',
        '    ax.text(0, 0, word)',
    ])
    texts = tool.find_figure_texts(source)
    assert [t.body for t in texts] == ["no activation", "ReLU between layers", "small weights", "He N(0, 2/32)",
                                       "{name} inputs", "first curve", "second curve"]
    assert texts[0].code == "ax.plot(x, f(x), color=colour, label=label)"
    built = tool.put_figure_texts(source, [(t, t.body.upper()) for t in texts])
    assert '("NO ACTIVATION", identity, "#999")' in built and '"small": "SMALL WEIGHTS"' in built
    assert 'zip(axes, ["small", "he"])' in built and 'zip(axes, ["sigmoid", "tanh"])' in built


@pytest.mark.parametrize("translation, problem", [
    ("{name} 가중치 {weight}, 편향 {bias:+d}", "lost the field {weight:.1f}"),
    ("{name} 가중치 {weight:.1f}, 편향 {bias:+d} {extra}", "not in the English: the field {extra}"),
    ("{name} 가중치 {weight:.1f}, 편향 {bias:+d} }", "not a valid string in the code"),
    ("{name} 가중치 {weight:.1f}, 편향 {bias:+d} \\d", "not a valid string in the code"),
    ("{name} 가중치 {weight:.1f}, 편향 {bias:+d} $w$", "not in the English: maths: $w$"),
    ("{name} 가중치 {weight:.1f}", "lost the field {bias:+d}"),
])
def test_a_figure_text_translation_that_breaks_the_code_is_refused(translation, problem):
    english = "{name} with weight {weight:.1f}, bias {bias:+d}"
    problems = tool.translation_problems(english, translation, "figure-text", ("f", '"'))
    assert any(p.startswith(problem) for p in problems), problems


def test_a_raw_figure_text_cannot_take_its_own_quote():
    problems = tool.translation_problems("the sigmoid \\sigma", '"시그모이드" \\sigma', "figure-text", ("r", '"'))
    assert problems and problems[0].startswith("not a valid string in the code (a raw string cannot hold")
    assert tool.translation_problems("the sigmoid \\sigma", "「시그모이드」 \\sigma", "figure-text", ("r", '"')) == []


def test_figure_texts_of_the_notebooks_are_messages_with_a_note_for_translators():
    units = [unit for path in NOTEBOOKS for unit in tool.notebook_units(path) if unit.kind == "figure-text"]
    assert len(units) > 100
    by_text = {unit.text: unit for unit in units}
    assert {"epoch", "{name} inputs", "hidden neuron {unit + 1}: z = 0"} <= set(by_text)
    assert not {"x", "z", "f(z)", "ReLU", "tanh(x)", "w1"} & set(by_text)
    assert all(re.fullmatch(r".+:s\d+", unit.context) for unit in units)
    note = by_text["hidden neuron {unit + 1}: z = 0"].note
    assert note.startswith("text in a figure (legend entry or label), in the code: ax_plane.plot(")
    assert "Keep the {fields} (filled in by the code), the numbers exactly as they are." in note
    assert "\\n (a line break)" in by_text[
        "Step perceptrons as logic gates\\n(shaded: output 1; circle: should be 1, cross: should be 0)"].note


def test_figure_texts_and_prose_never_lend_each_other_translations():
    old = tool.merge([unit("a:p1", "Loss per epoch."), unit("a:s1", "output")], None, "ko", "test")
    old[0].msgstr, old[1].msgstr = "에포크당 손실.", "출력"
    old = polib.pofile(str(old))
    new = tool.merge([tool.Unit("b:s1", "Loss per epoch", "figure-text"), unit("b:p1", "output")], old, "ko", "test")
    assert [(entry.msgctxt, entry.msgstr, entry.fuzzy) for entry in new if not entry.obsolete] == [
        ("b:s1", "", False), ("b:p1", "", False)]
    moved = tool.merge([tool.Unit("c:s2", "output", "figure-text")], old, "ko", "test")
    assert moved[0].msgstr == "출력" and not moved[0].fuzzy


# --------------------------------------------------------------------------- what a translation must keep
ENGLISH = ("The **sigmoid** $\\sigma(x) = 1 / (1 + e^{-x})$ is `cu.sigmoid`; see the "
           "[glossary](../docs/glossary.md) and section 2.1, where 36.7 appears.")


def test_a_faithful_translation_may_move_code_maths_and_links():
    korean = ("[용어집](../docs/glossary.md)과 2.1절을 보세요. 36.7이 나옵니다. **시그모이드** "
              "$\\sigma(x) = 1 / (1 + e^{-x})$는 `cu.sigmoid`입니다.")
    assert tool.translation_problems(ENGLISH, korean) == []


@pytest.mark.parametrize("broken, problem", [
    (ENGLISH.replace("`cu.sigmoid`", "cu.sigmoid"), "lost code: `cu.sigmoid`"),
    (ENGLISH.replace("e^{-x}", "e^{x}"), "lost maths: $\\sigma(x) = 1 / (1 + e^{-x})$"),
    (ENGLISH.replace("../docs/glossary.md", "glossary.md"), "lost link: ../docs/glossary.md"),
    (ENGLISH.replace("36.7", "thirty-six"), "lost the number 36.7"),
    (ENGLISH + " `extra`", "not in the English: code: `extra`"),
    ("## " + ENGLISH, "heading level: 2 instead of 0"),
])
def test_a_translation_that_breaks_code_maths_links_or_numbers_is_refused(broken, problem):
    problems = tool.translation_problems(ENGLISH, broken)
    assert any(p.startswith(problem) for p in problems), problems


def test_markdown_shape_and_placeholders_are_checked():
    english = "- one\n- two\n- three"
    assert tool.translation_problems(english, "- 하나\n- 둘") == ["list items: 2 instead of 3"]
    assert tool.translation_problems("{count} points", "{n}개의 점", "runtime") == [
        "placeholder {count} must appear in both the English and the translation",
        "placeholder {n} must appear in both the English and the translation",
    ]
    assert tool.translation_problems("seeds NumPy", "시드를\n정합니다", "trailing-comment") == [
        "a comment at the end of a code line must stay on one line"]


# --------------------------------------------------------------------------- staying in step
def unit(context, text):
    return tool.Unit(context, text, "markdown")


def test_changed_english_keeps_the_translation_marked_stale_with_the_old_english():
    old = tool.merge([unit("a:p1", "The sigmoid saturates."), unit("a:p2", "It is smooth.\nAnd bounded."),
                      unit("b:p1", "A paragraph that will be deleted.")], None, "ko", "test")
    for entry, korean in zip(old, ["시그모이드는 포화된다.", "매끄럽고 유계이다.", "지워질 문단."]):
        entry.msgstr = korean
    old = polib.pofile(str(old))  # through the file format, as on disk

    new = tool.merge([unit("a:p1", "The sigmoid saturates for large |x|."),
                      unit("a:p2", "It is smooth. And\nbounded."),  # only re-wrapped
                      unit("c:p1", "A new paragraph.")], old, "ko", "test")
    by_context = {entry.msgctxt: entry for entry in new if not entry.obsolete}
    stale = by_context["a:p1"]
    assert stale.fuzzy and stale.msgstr == "시그모이드는 포화된다."
    assert stale.previous_msgid == "The sigmoid saturates."
    assert not by_context["a:p2"].fuzzy and by_context["a:p2"].msgstr == "매끄럽고 유계이다."
    assert by_context["c:p1"].msgstr == "" and not by_context["c:p1"].fuzzy
    assert [entry.msgstr for entry in new.obsolete_entries()] == ["지워질 문단."]
    assert "#| msgid \"The sigmoid saturates.\"" in str(new)

    # Changed again before anyone translated: the diff still starts from the translated English.
    again = tool.merge([unit("a:p1", "The sigmoid saturates for large |x|, both ways.")],
                       polib.pofile(str(new)), "ko", "test")
    assert again[0].fuzzy and again[0].previous_msgid == "The sigmoid saturates."

    # A deleted paragraph that comes back in another cell gets its translation back.
    back = tool.merge([unit("d:p1", "A paragraph that will be deleted.")], polib.pofile(str(new)), "ko", "test")
    assert back[0].msgstr == "지워질 문단." and not back[0].fuzzy


def test_stale_and_missing_translations_are_reported_by_notebook_and_cell():
    units = [unit("a:p1", "The sigmoid saturates."), unit("a:p2", "It is smooth.")]
    po = tool.merge(units, None, "ja", "test")
    po[0].msgstr, po[0].flags = "シグモイドは飽和する。", ["fuzzy"]
    findings = [str(f) for f in tool.find_problems("ja", "02_sigmoid", units, po)]
    assert findings == [
        "ja · 02_sigmoid, a:p1: stale (fuzzy): the English changed; update the translation, then remove the fuzzy flag",
        "ja · 02_sigmoid, a:p2: not translated yet: It is smooth.",
    ]


# --------------------------------------------------------------------------- building the editions
def test_links_stay_inside_the_edition(tmp_path, monkeypatch):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "guide.ko.md").write_text("번역")
    monkeypatch.setattr(tool, "NOTEBOOKS", tmp_path / "notebooks")
    assert tool.rewrite_target("01_threshold.ipynb", "ko") == "01_threshold.ipynb"
    assert tool.rewrite_target("03_perceptron.ipynb#exercises", "ja") == "03_perceptron.ipynb#exercises"
    assert tool.rewrite_target("../docs/glossary.md", "ja") == "../../docs/glossary.md"
    assert tool.rewrite_target("../docs/guide.md#day-1", "ko") == "../../docs/guide.ko.md#day-1"
    assert tool.rewrite_target("../docs/guide.md", "ja") == "../../docs/guide.md"
    for target in ("https://example.org/a.md", "#section", "mailto:x@example.org"):
        assert tool.rewrite_target(target, "ko") == target
    markdown = "[a](../docs/x.md) `[b](../docs/x.md)` <img src=\"../docs/p.png\">"
    assert tool.rewrite_links(markdown, "ko") == "[a](../../docs/x.md) `[b](../docs/x.md)` <img src=\"../../docs/p.png\">"


def test_the_notebook_is_told_its_language():
    assert tool.with_language("rng = cu.setup()  # seeds", "ko") == 'rng = cu.setup(lang="ko")  # seeds'
    assert tool.with_language("rng = cu.setup(seed=3)", "ja") == 'rng = cu.setup(seed=3, lang="ja")'
    path = NOTEBOOKS[2]
    cells = tool.translated_cells(path, "ja", None, setup_has_lang=False)
    position = next(i for i, cell in enumerate(cells) if cell.get("id") == tool.LANGUAGE_CELL_ID)
    language_cell, setup_cell = cells[position], cells[position + 1]
    assert language_cell.source.endswith('set_language("ja")')
    assert language_cell.metadata["slideshow"]["slide_type"] == "skip"
    assert tool.SETUP_LINE.search(setup_cell.source)
    told = tool.translated_cells(path, "ja", None, setup_has_lang=True)
    assert len(told) == len(cells) - 1
    assert any('cu.setup(lang="ja")' in cell.source for cell in told)


# --------------------------------------------------------------------------- the instructor documents
def doc_id(path: Path) -> str:
    return tool.doc_name(path).removeprefix("docs/")


def relative_targets(markdown: str) -> list[str]:
    return [t for t in re.findall(r"\]\(([^)\s]+)\)", markdown) if not re.match(r"[a-z]+:", t)]


def test_the_instructor_guide_handouts_and_exit_ticket_are_translated_documents():
    assert {doc_id(p) for p in DOCS} == {"instructor_guide", "exit_ticket", "handouts/README",
                                         *(f"handouts/{p.stem}" for p in NOTEBOOKS)}
    assert {"docs/instructor_guide", "docs/handouts/02_sigmoid"} <= set(CATALOGS)
    assert tool.catalog_paths("docs/handouts/02_sigmoid") == (
        ROOT / "locales/docs/handouts/02_sigmoid.pot",
        {lang: ROOT / f"locales/{lang}/docs/handouts/02_sigmoid.po" for lang in tool.LANGUAGES})
    assert tool.doc_edition_path(ROOT / "docs/handouts/02_sigmoid.md", "ko") == ROOT / "docs/handouts/02_sigmoid.ko.md"
    assert tool.select_catalogs(["docs"]) == [tool.doc_name(p) for p in DOCS]
    assert tool.select_catalogs(["handouts/02_sigmoid.md", "02", "instructor_guide"]) == [
        "docs/handouts/02_sigmoid", "02_sigmoid", "docs/instructor_guide"]


@pytest.mark.parametrize("path", DOCS, ids=doc_id)
def test_each_english_document_starts_with_its_language_switch(path):
    first, blank = path.read_text(encoding="utf-8").split("\n")[:2]
    assert first == f"**English** · [한국어]({path.stem}.ko.md) · [日本語]({path.stem}.ja.md)" and blank == ""
    assert tool.language_switch(path, "ja") == f"[English]({path.name}) · [한국어]({path.stem}.ko.md) · **日本語**"


@pytest.mark.parametrize("path", DOCS, ids=doc_id)
def test_a_document_is_cut_into_paragraphs_named_by_their_section(path):
    text = path.read_text(encoding="utf-8")
    assert "".join(piece for _, piece in tool.split_markdown(text)) == text
    units = tool.doc_units(path)
    contexts = [unit.context for unit in units]
    assert len(contexts) == len(set(contexts)), "two messages share a context"
    assert all(re.fullmatch(r"[\w-]+:p\d+", context) for context in contexts)
    assert not any(unit.text.startswith("**English**") or unit.text.startswith("```") for unit in units)
    headings = [unit for unit in units if unit.text.startswith("#")]
    assert headings and all(unit.context.endswith(":p1") for unit in headings)


def test_document_contexts_follow_headings_as_github_names_them():
    assert tool.github_slug("Offline install (a venue without internet)") == "offline-install-a-venue-without-internet"
    assert tool.github_slug("02 · Sigmoid: handout") == "02--sigmoid-handout"
    assert tool.github_slug("2. 시그모이드 `sig(x)`") == "2-시그모이드-sigx"
    assert tool.github_slug("講師用ガイド（概要）") == "講師用ガイド概要"
    text = "# Guide\n\nIntro.\n\n## Day\n\nOne.\n\n```sh\n# not a heading\n```\n\n## Day\n\nTwo."
    assert tool.heading_slugs(text) == ["guide", "day", "day-1"]
    assert [u.context for _, _, u in tool.doc_units_of(text, "x.md")] == [
        "guide:p1", "guide:p2", "day:p1", "day:p2", "day-1:p1", "day-1:p2"]


@pytest.mark.parametrize("path", DOCS, ids=doc_id)
def test_an_untranslated_document_edition_is_the_english_with_links_into_the_edition(path):
    english = path.read_text(encoding="utf-8")
    edition = tool.translated_doc(path, "ko", None)
    body, footer = edition.rstrip("\n").rsplit("\n\n", 1)
    assert footer.startswith("<!-- Built by tools/i18n.py") and tool.doc_name(path) + ".po" in footer
    english_lines, edition_lines = english.rstrip("\n").split("\n"), body.split("\n")
    assert edition_lines[0] == tool.language_switch(path, "ko")
    assert len(edition_lines) == len(english_lines)
    for before, after in zip(english_lines[1:], edition_lines[1:]):
        assert re.sub(r"\]\([^)]*\)", "](…)", before) == re.sub(r"\]\([^)]*\)", "](…)", after)
    for target in relative_targets(body.partition("\n")[2]):  # after the language switch
        file, _, anchor = target.partition("#")
        assert not re.search(r"(^|/)\d\d_\w+\.ipynb$", file) or "/notebooks/ko/" in "/" + file, target
        if file.endswith(".md") and (path.parent / file).resolve() != ROOT / "README.ko.md":
            documents = [p.with_suffix("").as_posix() for p in DOCS]
            english_doc = (path.parent / file).resolve().as_posix().removesuffix(".md").removesuffix(".ko")
            assert file.endswith(".ko.md") == (english_doc in documents), target


def test_document_links_go_to_the_edition_and_anchors_follow_translated_headings(tmp_path, monkeypatch):
    root = tmp_path
    (root / "docs" / "handouts").mkdir(parents=True)
    (root / "notebooks").mkdir()
    (root / "README.ko.md").write_text("번역")
    (root / "docs" / "glossary.md").write_text("terms")
    guide = root / "docs" / "instructor_guide.md"
    guide.write_text("**English** · [한국어](instructor_guide.ko.md) · [日本語](instructor_guide.ja.md)\n\n"
                     "# Guide\n\nSee [day one](#day-one), the [handouts](handouts/), "
                     "[formulas](handouts/01_x.md#key-formulas), [notebook 01](../notebooks/01_x.ipynb#part), "
                     "[README](../README.md), [glossary](glossary.md), [web](https://example.org/a.md) "
                     "and `[code](#day-one)`.\n\n## Day one\n\nText.\n", encoding="utf-8")
    (root / "docs" / "handouts" / "01_x.md").write_text("# 01\n\n## Key formulas\n\nText.\n", encoding="utf-8")
    (root / "docs" / "handouts" / "README.md").write_text("# Handouts\n", encoding="utf-8")
    for name, value in (("ROOT", root), ("DOCS", root / "docs"), ("NOTEBOOKS", root / "notebooks"),
                        ("LOCALES", root / "locales")):
        monkeypatch.setattr(tool, name, value)
    handout_po = tool.merge(tool.doc_units(root / "docs" / "handouts" / "01_x.md"), None, "ko", "test")
    for entry in handout_po:
        entry.msgstr = {"## Key formulas": "## 핵심 공식"}.get(entry.msgid, entry.msgid + " 〔번역〕")
    catalog = tool.catalog_paths("docs/handouts/01_x")[1]["ko"]
    catalog.parent.mkdir(parents=True)
    catalog.write_text(str(handout_po), encoding="utf-8")
    guide_po = tool.merge(tool.doc_units(guide), None, "ko", "test")
    for entry in guide_po:
        entry.msgstr = {"## Day one": "## 첫째 날"}.get(entry.msgid, entry.msgid.replace("See", "보기:"))
    edition = tool.translated_doc(guide, "ko", guide_po)
    assert edition.startswith("[English](instructor_guide.md) · **한국어** · [日本語](instructor_guide.ja.md)\n\n# Guide")
    assert ("보기: [day one](#첫째-날), the [handouts](handouts/README.ko.md), "
            "[formulas](handouts/01_x.ko.md#핵심-공식), [notebook 01](../notebooks/ko/01_x.ipynb#part), "
            "[README](../README.ko.md), [glossary](glossary.md), [web](https://example.org/a.md) "
            "and `[code](#day-one)`.") in edition
    assert "\n## 첫째 날\n" in edition
    tool.catalog_paths("docs/instructor_guide")[1]["ko"].write_text(str(guide_po), encoding="utf-8")
    tool.build_docs(["ko"], tool.english_docs())
    assert (root / "docs" / "instructor_guide.ko.md").read_text(encoding="utf-8") == edition
    assert "## 핵심 공식" in (root / "docs" / "handouts" / "01_x.ko.md").read_text(encoding="utf-8")
    assert not (root / "docs" / "handouts" / "01_x.ja.md").exists()


@pytest.mark.parametrize("path", DOCS, ids=doc_id)
def test_a_translation_reaches_every_paragraph_of_a_document_and_no_code_block(path):
    units = tool.doc_units(path)
    edition = tool.translated_doc(path, "ja", pseudo_translation(units))
    assert edition.count("〔번역〕") == len(units)
    english_blocks = tool.CODE_FENCE_BLOCK.findall(path.read_text(encoding="utf-8"))
    assert tool.CODE_FENCE_BLOCK.findall(edition) == english_blocks


@pytest.mark.parametrize("path", DOCS, ids=doc_id)
@pytest.mark.parametrize("lang", tool.LANGUAGES)
def test_links_of_a_document_edition_resolve(lang, path):
    """Every relative link of the edition the build makes now reaches a file, and every #anchor a heading."""
    edition = tool.translated_doc(path, lang, tool.read_catalog(tool.catalog_paths(tool.doc_name(path))[1][lang]))
    editions = {tool.doc_edition_path(p, lang) for p in DOCS}
    for target in relative_targets(edition):
        file, _, anchor = target.partition("#")
        resolved = (path.parent / file).resolve() if file else tool.doc_edition_path(path, lang)
        assert resolved.exists() or resolved in editions, f"{target} does not exist"
        if anchor and resolved in editions:
            source = next(p for p in DOCS if tool.doc_edition_path(p, lang) == resolved)
            text = edition if source == path else tool.translated_doc(source, lang, tool.read_catalog(
                tool.catalog_paths(tool.doc_name(source))[1][lang]))
            assert anchor in tool.heading_slugs(text), f"{target}: no such heading"


# --------------------------------------------------------------------------- course_utils' messages
def compile_catalog(tmp_path: Path, lang: str, entries: list[polib.POEntry]) -> Path:
    po = tool.merge([], None, lang, "test")
    for entry in entries:
        po.append(entry)
    folder = tmp_path / lang / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / f"{runtime.DOMAIN}.mo").write_bytes(tool.compiled_catalog(po))
    return tmp_path


def test_messages_follow_the_language_and_fall_back_to_english(tmp_path):
    localedir = compile_catalog(tmp_path, "ko", [
        polib.POEntry(msgid="Correct!", msgstr="정답입니다!"),
        polib.POEntry(msgid="{count} value is wrong", msgid_plural="{count} values are wrong",
                      msgstr_plural={0: "{count}개의 값이 틀렸습니다"}),
        polib.POEntry(msgctxt="axis label", msgid="output", msgstr="출력"),
        polib.POEntry(msgid="Stale message", msgstr="오래된 번역", flags=["fuzzy"]),
    ])
    assert runtime.get_language() == "en"
    assert runtime._("Correct!") == "Correct!"
    runtime.set_language("ko", localedir=localedir)
    assert runtime.get_language() == "ko"
    assert runtime._("Correct!") == "정답입니다!"
    assert runtime.ngettext("{count} value is wrong", "{count} values are wrong", 3).format(count=3) == \
        "3개의 값이 틀렸습니다"
    assert runtime.pgettext("axis label", "output") == "출력"
    assert runtime._("Not translated yet") == "Not translated yet"
    assert runtime._("Stale message") == "Stale message"  # fuzzy translations never reach learners
    runtime.set_language("ja", localedir=localedir)  # no Japanese catalog here: English
    assert runtime._("Correct!") == "Correct!"
    runtime.set_language("en")
    assert runtime._("Correct!") == "Correct!"
    assert runtime.N_("Correct!") == "Correct!"


@pytest.mark.parametrize("bad", ["kr", "KO", None, "", "ko_KR"])
def test_an_unknown_language_is_refused_by_name(bad):
    with pytest.raises(ValueError, match=r"lang must be one of 'en', 'ko', 'ja'"):
        runtime.set_language(bad)
    assert runtime.get_language() == "en"


def test_the_shipped_catalogs_load_for_every_language():
    for lang in tool.LANGUAGES:
        assert gettext.find(runtime.DOMAIN, runtime.LOCALE_DIR, [lang]) == str(tool.mo_path(lang))
        runtime.set_language(lang)
        assert runtime.get_language() == lang


def test_runtime_extraction_finds_messages_and_refuses_f_strings(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "checker.py").write_text(
        "from .i18n import _, N_, ngettext, pgettext\n"
        "TITLE = N_('Sigmoid explorer')\n"
        "def verdict(n, name):\n"
        "    print(_('Well done, {name}!').format(name=name))\n"
        "    print(ngettext('{n} point', '{n} points', n).format(n=n))\n"
        "    print(pgettext('axis label', 'output'))\n"
        "    print(_(f'Wrong: {n}'))\n"
        "    for _unused in range(2): pass\n"
        "    print(_(TITLE), _(hints.TITLE))\n"
        "    print(_(title))\n", encoding="utf-8")
    (package / "plain.py").write_text("print(_('not a message: no i18n import'))\n", encoding="utf-8")
    units, errors = tool.runtime_units(package)
    found = {(u.context, u.text, u.plural, tuple(u.flags)) for u in units}
    assert found == {(None, "Sigmoid explorer", None, ()),
                     (None, "Well done, {name}!", None, ("python-brace-format",)),
                     (None, "{n} point", "{n} points", ("python-brace-format",)),
                     ("axis label", "output", None, ())}
    # _(TITLE) is fine (N_ marks the text where TITLE is written); _(title) of a lower-case variable is not.
    assert errors == [f"pkg/checker.py:{line}: _() needs plain string literals (not an f-string, a variable or a + b), "
                      "so that the message can be found in the catalog" for line in (7, 10)]


def test_course_utils_messages_are_all_plain_literals():
    _, errors = tool.runtime_units()
    assert errors == []


@pytest.mark.parametrize("lang", tool.LANGUAGES)
def test_compiled_catalogs_match_their_po_files(lang):
    po = tool.read_catalog(tool.catalog_paths(tool.RUNTIME_DOMAIN)[1][lang])
    assert po is not None, "run: python tools/i18n.py update"
    assert tool.mo_path(lang).read_bytes() == tool.compiled_catalog(po), \
        f"{tool.relative(tool.mo_path(lang))} is out of date: run python tools/i18n.py update"


def test_compiled_catalogs_are_package_data():
    """flit ships every file inside the package folder; the .mo files are there, and nothing excludes them."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["build-system"]["build-backend"] == "flit_core.buildapi"
    assert "locales" not in str(pyproject.get("tool", {}).get("flit", {}))
    for lang in tool.LANGUAGES:
        assert tool.mo_path(lang).is_relative_to(ROOT / "course_utils")


@pytest.mark.parametrize("name", CATALOGS)
@pytest.mark.parametrize("lang", tool.LANGUAGES)
def test_translations_keep_code_maths_links_and_numbers(lang, name):
    findings = tool.find_problems(lang, name, completeness=False)
    assert not findings, "\n".join(map(str, findings))


# --------------------------------------------------------------------------- figures
def test_figures_draw_korean_and_japanese_with_a_real_font():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    installed = {font.name for font in matplotlib.font_manager.fontManager.ttflist}
    if not any(family in installed for families in runtime.CJK_FONTS.values() for family in families):
        if os.environ.get("CI"):
            pytest.fail("no CJK font: .ci/run installs fonts-noto-cjk")
        pytest.skip("no Korean or Japanese font on this machine (Debian: apt-get install fonts-noto-cjk)")
    for lang, text in (("ko", "시그모이드 σ(x)"), ("ja", "シグモイド関数 σ(x)")):
        font = runtime.set_language(lang)
        assert font in runtime.CJK_FONTS[lang]
        assert matplotlib.rcParams["font.family"] == [runtime.LATIN_FONT, font]
        figure, ax = plt.subplots()
        ax.set_title(text)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "Glyph ... missing from font(s)" would be a UserWarning
            figure.canvas.draw()
        plt.close(figure)
    runtime.set_language("en")
    assert matplotlib.rcParams["font.family"] == matplotlib.rcParamsDefault["font.family"]


# --------------------------------------------------------------------------- the translations themselves
@pytest.mark.translations
@pytest.mark.parametrize("name", CATALOGS)
@pytest.mark.parametrize("lang", tool.LANGUAGES)
def test_every_message_is_translated_and_current(lang, name):
    findings = tool.find_problems(lang, name)
    assert not findings, f"{len(findings)} to do (python tools/i18n.py check --lang {lang} {name}):\n" + \
        "\n".join(map(str, findings[:40]))


@pytest.mark.translations
@pytest.mark.parametrize("name", CATALOGS)
def test_catalog_templates_are_current(name):
    template = tool.catalog_paths(name)[0]
    expected = str(tool.make_template(tool.catalog_units(name), tool.catalog_title(name))) + "\n"
    assert template.exists() and template.read_text(encoding="utf-8") == expected, \
        f"{tool.relative(template)} does not match the English: run make translations"


@pytest.mark.translations
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", tool.LANGUAGES)
def test_editions_are_built_from_the_current_english_and_catalogs(lang, path):
    """Sources, not outputs: the stored notebook is what the build makes now (nbval checks its outputs)."""
    built = tool.edition_path(path, lang)
    assert built.exists(), f"{tool.relative(built)} is missing: run make translations"
    po = tool.read_catalog(tool.catalog_paths(path.stem)[1][lang])
    expected = [(c.cell_type, c.get("id"), c.source) for c in tool.translated_cells(path, lang, po)]
    stored = [(c.cell_type, c.get("id"), c.source) for c in nbformat.read(built, as_version=4).cells]
    differing = [e[1] for e, s in zip(expected, stored) if e != s]
    assert len(stored) == len(expected) and not differing, \
        f"{tool.relative(built)} is out of date (cells {differing[:5]}): run make translations LANGS={lang} NB={path.stem[:2]}"


@pytest.mark.translations
@pytest.mark.parametrize("path", DOCS, ids=doc_id)
@pytest.mark.parametrize("lang", tool.LANGUAGES)
def test_document_editions_are_built_from_the_current_english_and_catalogs(lang, path):
    built = tool.doc_edition_path(path, lang)
    assert built.exists(), f"{tool.relative(built)} is missing: run make translations"
    po = tool.read_catalog(tool.catalog_paths(tool.doc_name(path))[1][lang])
    assert built.read_text(encoding="utf-8") == tool.translated_doc(path, lang, po), \
        f"{tool.relative(built)} is out of date: run python tools/i18n.py build --lang {lang} {tool.doc_name(path)}"


def glossary_terms() -> list[dict]:
    """The glossary's rows: English, Korean and Japanese terms and the notebook that defines them."""
    rows = []
    for line in (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| ") and not line.startswith("| English") and len(cells) >= 5:
            rows.append({"english": cells[0], "ko": cells[1], "ja": cells[2], "notebook": cells[-1][:2]})
    return rows


def term_forms(term: str) -> set[str]:
    """"뉴런 (인공 뉴런)" -> {"뉴런", "인공뉴런"}: each way of writing a term, spaces removed."""
    inside = re.findall(r"\(([^)]*)\)", term)
    outside = re.sub(r"\([^)]*\)", "", term)
    return {re.sub(r"\s+", "", form) for form in [outside, *inside] if form.strip()}


@pytest.mark.translations
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", tool.LANGUAGES)
def test_each_notebook_uses_the_glossary_terms_it_defines(lang, path):
    """Every term the glossary says a notebook defines appears in that notebook's translation."""
    po = tool.read_catalog(tool.catalog_paths(path.stem)[1][lang])
    translated = re.sub(r"\s+", "", " ".join(tool.translation_text(e) for e in po if not e.obsolete))
    missing = [f"{row['english']} -> {row[lang]}" for row in glossary_terms()
               if row["notebook"] == path.stem[:2] and not any(form in translated for form in term_forms(row[lang]))]
    assert not missing, f"{lang} {path.stem}: glossary terms not used:\n" + "\n".join(missing)


def test_a_figure_text_with_maths_cannot_hold_korean_or_japanese():
    """matplotlib draws a text with $...$ all in its maths font, which has no Hangul or kana: boxes."""
    problems = tool.translation_problems("hidden neuron {unit}: $z = 0$", "은닉 뉴런 {unit}: $z = 0$", "figure-text")
    assert any("maths font" in problem for problem in problems)
    assert tool.translation_problems("hidden neuron {unit}: z = 0", "은닉 뉴런 {unit}: z = 0", "figure-text") == []


def test_words_inside_a_formula_may_be_translated_but_nothing_else():
    english = "The step: $f(z) = 1 \\text{ if } z > \\theta$, and $P(\\text{man} \\mid h)$."
    assert tool.translation_problems(english, "계단: $f(z) = 1 \\text{이면 } z > \\theta$, $P(\\text{남자} \\mid h)$.") == []
    changed_number = tool.translation_problems(english, "계단: $f(z) = 2 \\text{이면 } z > \\theta$, $P(\\text{남자} \\mid h)$.")
    extra_text = tool.translation_problems(english, "계단: $f(z) = 1 \\text{이면 } z > \\theta \\text{일 때}$, $P(\\text{남자} \\mid h)$.")
    assert any(problem.startswith("lost maths") for problem in changed_number)
    assert any(problem.startswith("lost maths") for problem in extra_text)
