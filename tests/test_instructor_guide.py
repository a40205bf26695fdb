"""The instructor's run-book (docs/instructor_guide.md), handouts, exit ticket and offline install.

Every claim the guide makes about a notebook is checked here against the stored notebook: self-study
times, exercise counts and numbers, section numbers and headings, and the outputs its demo pointers
quote. The agendas are checked for arithmetic (times add up, breaks at least every 90 minutes), the
hub advice against workshop/README.md and workshop/jupyterhub_config.py, and `make wheelhouse`
by a real offline install.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import venv
from collections import Counter
from pathlib import Path

import nbformat
import pytest

from .notebook_code import notebook_paths

ROOT = Path(__file__).resolve().parent.parent
GUIDE_PATH = ROOT / "docs" / "instructor_guide.md"
GUIDE = GUIDE_PATH.read_text(encoding="utf-8")
TICKET_PATH = ROOT / "docs" / "exit_ticket.md"
TICKET = TICKET_PATH.read_text(encoding="utf-8")
HANDOUTS = ROOT / "docs" / "handouts"
NOTEBOOKS = {p.stem[:2]: nbformat.read(p, as_version=4) for p in notebook_paths()}
STEMS = {p.stem[:2]: p.stem for p in notebook_paths()}
BREAKS = ("Break", "Lunch")
LONGEST_STRETCH = 90  # minutes of teaching without a break


# ------------------------------------------------------------------ reading the notebooks
def markdown(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def estimated_minutes(nb) -> int:
    match = re.search(r"Estimated time:\**\s*about (\d+) minutes", markdown(nb))
    assert match, "notebook states no 'Estimated time: about N minutes'"
    return int(match.group(1))


def headings(nb) -> list[tuple[int, int, str]]:
    """(cell index, level, text) of every markdown heading, e.g. (9, 3, "2.1 More digits")."""
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                match = re.match(r"(#{1,6}) (.*\S)", line)
                if match:
                    found.append((index, len(match.group(1)), match.group(2)))
    return found


def section_numbers(nb) -> set[str]:
    """The numbers of the notebook's sections: "5" for "## 5. …", "5.1" for "### 5.1 …"."""
    numbers = set()
    for _, level, text in headings(nb):
        match = re.match(r"(\d+(?:\.\d+)*)\.?\s", text)
        if match and level >= 2:
            numbers.add(match.group(1))
    return numbers


def exercises(nb) -> list[str]:
    """The checked exercises of the "## Your turn" section, in order (the warm-up of 00 is before it)."""
    start = next(i for i, level, text in headings(nb) if level == 2 and text.startswith("Your turn"))
    end = next(i for i, level, text in headings(nb) if level == 2 and i > start)
    names = []
    for cell in nb.cells[start:end]:
        if cell.cell_type == "code":
            for name in re.findall(r"^(nb\d\d\.\w+)\.check\(", cell.source, flags=re.M):
                if name not in names:
                    names.append(name)
    return names


def output_text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", "") or output.get("data", {}).get("text/plain", ""))
    return "".join(parts)


def section_outputs(nb, heading_text: str) -> str:
    """Everything the code cells of one section print (its sub-sections included)."""
    found = [(i, level) for i, level, text in headings(nb) if text == heading_text]
    assert found, f"no heading {heading_text!r}"
    start, level = found[0]
    end = next((i for i, lvl, _ in headings(nb) if i > start and lvl <= level), len(nb.cells))
    return "\n".join(output_text(cell) for cell in nb.cells[start:end] if cell.cell_type == "code")


def section(text: str, heading: str) -> str:
    """The part of a markdown text from `heading` to the next heading of the same or a higher level."""
    level = len(heading) - len(heading.lstrip("#"))
    start = text.index(heading + "\n")
    rest = text[start + len(heading) + 1:]
    stop = re.search(rf"^#{{1,{level}}} ", rest, flags=re.M)
    return rest[:stop.start()] if stop else rest


def table_rows(text: str) -> list[list[str]]:
    """The body rows of the markdown tables in `text`, as lists of stripped cells."""
    rows = []
    for line in text.splitlines():
        if line.startswith("|") and not re.match(r"\|[-| ]+\|$", line):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return [row for row in rows if row and row[0] not in {"Notebook", "Time", "#"}]


# ------------------------------------------------------------------ timing
def timing_table() -> dict[str, list[str]]:
    rows = table_rows(section(GUIDE, "## Timing").split("###")[0])
    return {row[0]: row for row in rows}


def test_timing_table_agrees_with_the_notebooks():
    table = timing_table()
    total_self, total_live, total_exercises = 0, 0, 0
    for key, nb in NOTEBOOKS.items():
        _, self_study, live, count = table[key]
        assert self_study == f"{estimated_minutes(nb)} min", (key, self_study)
        assert int(count.split()[0]) == len(exercises(nb)), (key, count, exercises(nb))
        total_self += estimated_minutes(nb)
        total_live += int(live.split()[0])
        total_exercises += len(exercises(nb))
    hours = lambda minutes: f"{minutes // 60} h {minutes % 60:02d}"  # noqa: E731
    assert table["**Total**"][1] == f"**{total_self} min ({hours(total_self)})**"
    assert table["**Total**"][2] == f"**{total_live} min ({hours(total_live)})**"
    assert table["**Total**"][3] == f"**{total_exercises}**"


def test_warm_up_of_notebook_00_is_where_the_guide_says():
    nb = NOTEBOOKS["00"]
    start = next(i for i, _, text in headings(nb) if text.startswith("1.3 "))
    end = next(i for i, _, _ in headings(nb) if i > start)
    assert any("nb00.double.check(" in cell.source for cell in nb.cells[start:end])
    assert "warm-up in §1.3" in timing_table()["00"][3]


def per_notebook_plan() -> dict[str, list[str]]:
    plan = section(GUIDE, "### What to show, what to leave for home, what to cut when late")
    return {row[0]: row for row in table_rows(plan)}


def test_live_minutes_are_demo_plus_hands_on_and_match_the_timing_table():
    plan, table = per_notebook_plan(), timing_table()
    assert set(plan) == set(NOTEBOOKS)
    for key, row in plan.items():
        live, demo, hands_on = map(int, re.fullmatch(r"(\d+) = (\d+) \+ (\d+)", row[1]).groups())
        assert live == demo + hands_on, row
        assert table[key][2] == f"{live} min", (key, table[key][2])


def test_demo_and_home_sections_do_not_overlap():
    for key, row in per_notebook_plan().items():
        demo = set(re.findall(r"§([\d.]+)", row[2]))
        home = set(re.findall(r"§([\d.]+)", row[3]))
        assert demo and home and not demo & home, (key, demo & home)


def clock(text: str) -> int:
    hours, minutes = map(int, text.split(":"))
    return 60 * hours + minutes


def agenda(heading: str) -> list[tuple[int, str, int | None]]:
    """(start in minutes, session, minutes) of each row of an agenda table."""
    return [(clock(row[0]), row[1], int(row[2]) if row[2] else None) for row in table_rows(section(GUIDE, heading))]


def check_schedule(rows, length):
    assert rows[-1][1] == "End" and rows[-1][0] - rows[0][0] == length
    for (start, session, minutes), (next_start, _, _) in zip(rows, rows[1:]):
        assert start + minutes == next_start, f"{session!r} starts at {start} and lasts {minutes}"
    assert sum(minutes for _, _, minutes in rows[:-1]) == length
    stretch = 0
    for _, session, minutes in rows[:-1]:
        stretch = 0 if session.startswith(BREAKS) else stretch + minutes
        assert stretch <= LONGEST_STRETCH, f"{stretch} minutes without a break, up to {session!r}"


def notebook_of(session: str) -> str | None:
    match = re.search(r"notebooks/(\d\d)_", session)
    return match.group(1) if match else None


def test_full_day_adds_up_with_breaks_and_buffers():
    rows = agenda("### Full-day workshop (09:00 to 17:00)")
    check_schedule(rows, 8 * 60)
    live = {key: int(row[2].split()[0]) for key, row in timing_table().items() if key in NOTEBOOKS}
    taught = {notebook_of(session): minutes for _, session, minutes in rows if notebook_of(session)}
    assert taught == live, "every notebook once, at its live minutes"
    buffers = sum(minutes for _, session, minutes in rows if session.startswith("Buffer"))
    assert f"with {buffers} minutes of buffer" in GUIDE and buffers >= 20
    order = [notebook_of(session) or session for _, session, _ in rows]
    assert any(s.startswith(BREAKS) for s in order[order.index("06") + 1:order.index("07")]), "break between 06 and 07"


def test_full_day_does_every_exercise_of_every_notebook():
    for _, session, _ in agenda("### Full-day workshop (09:00 to 17:00)"):
        key = notebook_of(session)
        if key:
            assert f"exercises 1–{len(exercises(NOTEBOOKS[key]))}" in session, session


def test_half_day_adds_up_to_three_hours_with_a_break():
    rows = agenda("### Half-day workshop (3 hours)")
    check_schedule(rows, 180)
    assert any(session.startswith("Break") for _, session, _ in rows)


# ------------------------------------------------------------------ every § and exercise the guide names
REFERENCE = re.compile(
    r"notebooks/(?P<link>\d\d)_"                       # a link to a notebook sets the notebook
    r"|^\| (?P<row>0\d) \|"                            # so does a table row that starts with its number
    r"|\b(?P<named>0\d)(?:'s)? (?=§|exercises? \d)"    # and "02 §7.2", "04 exercise 3", "07's demo"
    r"|§(?P<section>\d+(?:\.\d+)?)"
    r"|\bexercises? (?P<first>\d+)(?:(?:–| and )(?P<last>\d+))?",
)


def references(text: str):
    """(line, notebook, kind, value) for every § and exercise number in `text`, with the notebook it
    belongs to: the last notebook named before it on the same line."""
    for line in text.splitlines():
        current = None
        for match in REFERENCE.finditer(line):
            if match["link"] or match["row"] or match["named"]:
                current = match["link"] or match["row"] or match["named"]
            elif match["section"]:
                yield line, current, "section", match["section"]
            else:
                yield line, current, "exercises", (int(match["first"]), int(match["last"] or match["first"]))


@pytest.mark.parametrize("path", [GUIDE_PATH, TICKET_PATH], ids=lambda p: p.name)
def test_every_section_and_exercise_named_exists(path):
    found = 0
    for line, key, kind, value in references(path.read_text(encoding="utf-8")):
        if kind == "exercises" and key is None:
            continue  # "Exercise counts", "exercises in class": no number of a notebook
        assert key in NOTEBOOKS, f"a {kind} reference with no notebook: {line}"
        if kind == "section":
            assert value in section_numbers(NOTEBOOKS[key]), f"{key} has no §{value}: {line}"
        else:
            assert 1 <= value[0] <= value[1] <= len(exercises(NOTEBOOKS[key])), f"{key} exercise {value}: {line}"
        found += 1
    assert found >= 20 if path == GUIDE_PATH else found >= 8


def test_the_reference_reader_catches_a_wrong_section():
    bad = list(references("| 02 | 60 = 35 + 25 | §12.4 | | |"))
    assert bad == [("| 02 | 60 = 35 + 25 | §12.4 | | |", "02", "section", "12.4")]
    assert "12.4" not in section_numbers(NOTEBOOKS["02"])


# ------------------------------------------------------------------ demo pointers
POINTER = re.compile(r"^- \*\*(?P<key>\d\d) §(?P<heading>[^*]+)\*\*: (?P<rest>.*)$", flags=re.M)


def pointers():
    return [m.groupdict() for m in POINTER.finditer(section(GUIDE, "## Demo pointers: which cell, which output, what to say"))]


def test_every_notebook_has_demo_pointers():
    counts = Counter(p["key"] for p in pointers())
    assert set(counts) == set(NOTEBOOKS) and min(counts.values()) >= 2, counts


@pytest.mark.parametrize("pointer", pointers(), ids=lambda p: f"{p['key']} §{p['heading'][:30]}")
def test_demo_pointer_names_a_real_heading_and_quotes_its_output(pointer):
    nb = NOTEBOOKS[pointer["key"]]
    assert pointer["heading"] in [text for _, _, text in headings(nb)], f"no heading {pointer['heading']!r}"
    said = re.search(r"\bprints? (.*?); point at", pointer["rest"])
    assert said, "a pointer says what the cell prints, then '; point at …'"
    quotes = re.findall(r"`([^`]+)`", said.group(1))
    assert quotes, "quote the output in backticks"
    printed = section_outputs(nb, pointer["heading"])
    for quote in quotes:
        assert quote in printed, f"the stored notebook does not print {quote!r} in §{pointer['heading']}"


# ------------------------------------------------------------------ paths, hub, laptops
def test_python_range_is_the_makefile_range():
    makefile = (ROOT / "Makefile").read_text()
    low = re.search(r"^PYTHON_MIN := (\S+)", makefile, flags=re.M).group(1)
    high = re.search(r"^PYTHON_MAX := (\S+)", makefile, flags=re.M).group(1)
    assert f"Python {low}–{high}" in GUIDE
    assert "3.10" not in GUIDE
    assert f"`{low} to {high}: OK`" in GUIDE and f"{low} to {high}: OK" in section_outputs(NOTEBOOKS["00"], "2. Environment check")


def normalise(text: str) -> str:
    return " ".join(text.split())


def test_hub_sizing_is_quoted_word_for_word_from_the_workshop_readme():
    hub = section(GUIDE, "### JupyterHub (one machine for the whole class)")
    quoted = [line.strip()[1:].strip() for line in hub.splitlines() if line.strip().startswith(">")]
    paragraphs = [normalise(p) for p in " ".join(q or "\n" for q in quoted).split("\n") if p.strip()]
    assert len(paragraphs) >= 2
    readme = normalise((ROOT / "workshop" / "README.md").read_text(encoding="utf-8"))
    for paragraph in paragraphs:
        assert paragraph in readme, f"not in workshop/README.md: {paragraph}"


def hub_settings() -> dict[str, str]:
    tree = ast.parse((ROOT / "workshop" / "jupyterhub_config.py").read_text(encoding="utf-8"))
    node = next(n for n in tree.body if isinstance(n, ast.AnnAssign | ast.Assign)
                and "SETTINGS" in ast.unparse(n.targets[0] if isinstance(n, ast.Assign) else n.target))
    settings = {}
    for entry in node.value.values:  # ("COURSE_HUB_…", default); defaults computed at run time are skipped
        name, default = entry.elts
        if isinstance(default, ast.Constant):
            settings[name.value] = default.value
    return settings


def test_hub_timeouts_are_the_shipped_defaults():
    settings = hub_settings()
    stated = re.findall(r"`(COURSE_HUB_[A-Z_]+)`\s+\((\d+)( s)?\)", GUIDE)
    assert {name for name, _, _ in stated} >= {"COURSE_HUB_MAX_STARTING", "COURSE_HUB_START_TIMEOUT",
                                              "COURSE_HUB_CULL_TIMEOUT"}
    for name, value, _ in stated:
        assert settings[name] == value, f"{name}: the guide says {value}, jupyterhub_config.py {settings[name]}"
    hours = int(settings["COURSE_HUB_CULL_TIMEOUT"]) // 3600
    assert f"idle for {hours} hours" in GUIDE


def test_hub_link_and_course_folder_come_from_the_tools():
    sys.path.insert(0, str(ROOT / "workshop"))
    try:
        import make_link
    finally:
        sys.path.remove(str(ROOT / "workshop"))
    folder = make_link.course_folder(make_link.repository_url())
    assert "python workshop/make_link.py --hub" in GUIDE
    assert f"workshop/state/homes/*/{folder}" in GUIDE and f"cd ~/{folder} &&" in GUIDE
    assert "git-pull?repo=" not in GUIDE, "the link is built by make_link.py, not written by hand"


def test_commands_the_guide_names_exist():
    makefile = (ROOT / "Makefile").read_text()
    for target in set(re.findall(r"`make (\w[\w-]*)", GUIDE)):
        assert re.search(rf"^{target}:", makefile, flags=re.M), f"no make target {target}"
    for tool in ("tools/course.py", "workshop/make_link.py", "course_utils/progress.py"):
        assert tool in GUIDE and (ROOT / tool).exists(), tool


@pytest.mark.parametrize("path", [GUIDE_PATH, TICKET_PATH, *sorted(HANDOUTS.glob("*.md"))],
                         ids=lambda p: p.name)
def test_relative_links_resolve(path):
    text = path.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text):
        if not re.match(r"https?://", target):
            assert (path.parent / target).exists(), f"{path.name} links {target}, which does not exist"
    for anchor in re.findall(r"\]\(#([^)]+)\)", text):
        slugs = {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-")
                 for h in re.findall(r"^#+ (.*)$", text, flags=re.M)}
        assert anchor in slugs, f"{path.name}: no heading for #{anchor}"


def test_the_class_table_command_works_as_written(tmp_path):
    """The guide's command, run over a class of two learners laid out like the one-machine hub."""
    block = re.search(r"```sh\n(python -m course_utils\.progress [^\n]*)\n(python -m [^\n]*)\n```", GUIDE)
    assert block, "the guide shows the instructor's progress commands"
    for name, status in (("alice", "correct"), ("bob", "incorrect")):
        folder = tmp_path / "workshop" / "state" / "homes" / name / "activation-functions"
        (folder / "notebooks").mkdir(parents=True)
        (folder / "course_utils").mkdir()
        (folder / ".progress").mkdir()
        (folder / ".progress" / "verdicts.jsonl").write_text(
            f'{{"exercise": "02.sigmoid", "status": "{status}", "time": "2025-05-09T07:35:25Z", '
            '"course_version": "1.0.0"}\n', encoding="utf-8")
    for command in block.groups():
        words = command.split("#")[0].split()
        paths = sorted(str(p) for p in tmp_path.glob(words[-1]))
        result = subprocess.run([sys.executable, *words[1:-1], *paths], cwd=tmp_path, capture_output=True,
                                text=True, timeout=60, env=dict(os.environ, PYTHONPATH=str(ROOT)))
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert lines[0].startswith("learner") and "02.sigmoid" in lines[0]
        assert lines[1].startswith("alice ") and "passed" in lines[1]
        assert lines[2].startswith("bob ") and "tried" in lines[2] and "passed" not in lines[2]
        assert lines[-1].startswith("passed by")
    assert "`passed`, `tried` or `—`" in GUIDE and "`passed by`" in GUIDE


# ------------------------------------------------------------------ handouts
def handout(key: str) -> Path:
    return HANDOUTS / f"{STEMS[key]}.md"


@pytest.mark.parametrize("key", sorted(NOTEBOOKS))
def test_handout_is_one_page_with_formulas_idioms_and_pitfalls(key):
    text = handout(key).read_text(encoding="utf-8")
    text = text.removeprefix(f"**English** · [한국어]({STEMS[key]}.ko.md) · [日本語]({STEMS[key]}.ja.md)\n\n")
    assert text.startswith(f"# {key} · ") and f"(../../notebooks/{STEMS[key]}.ipynb)" in text
    for heading in ("## Key formulas", "## Code idioms", "## Pitfalls"):
        assert heading in text, heading
    assert len(section(text, "## Pitfalls").strip().splitlines()) >= 5
    lines = text.splitlines()
    assert len(lines) <= 40 and max(map(len, lines)) <= 120 and len(text) <= 3500, "one printed page"


@pytest.mark.parametrize("key", sorted(NOTEBOOKS))
def test_handout_code_is_taken_from_the_notebook(key):
    nb = NOTEBOOKS[key]
    corpus = "\n".join([c.source for c in nb.cells] + [output_text(c) for c in nb.cells])
    for snippet in re.findall(r"`([^`]+)`", handout(key).read_text(encoding="utf-8")):
        assert snippet in corpus, f"{snippet!r} does not appear in notebook {key}"


def test_handouts_index_and_guide_link_every_handout():
    index = (HANDOUTS / "README.md").read_text(encoding="utf-8")
    for key in NOTEBOOKS:
        assert f"]({STEMS[key]}.md)" in index
    assert "](handouts/)" in GUIDE and "](exit_ticket.md)" in GUIDE


# ------------------------------------------------------------------ exit ticket
def ticket_questions() -> list[dict]:
    questions_part, answers_part = TICKET.split("\n## Answers\n")
    assert "\n## Questions\n" in questions_part, "questions first, answers in their own section"
    blocks = re.split(r"^### ", questions_part.split("\n## Questions\n")[1], flags=re.M)[1:]
    answers = dict(re.findall(r"^(\d+)\. \*\*([a-z])\*\*: ", answers_part, flags=re.M))
    questions = []
    for block in blocks:
        number = re.match(r"(\d+)\. ", block).group(1)
        options = re.findall(r"^- \(([a-z])\) ", block, flags=re.M)
        questions.append({"number": number, "options": options, "answer": answers.get(number)})
    return questions


def test_exit_ticket_has_five_to_eight_questions_with_answers_among_the_options():
    questions = ticket_questions()
    assert 5 <= len(questions) <= 8
    assert [q["number"] for q in questions] == [str(i) for i in range(1, len(questions) + 1)]
    for q in questions:
        assert q["options"] == list("abcdefgh"[:len(q["options"])]) and len(q["options"]) >= 3, q
        assert q["answer"] in q["options"], q


def test_exit_ticket_answers_are_spread_over_the_options():
    questions = ticket_questions()
    letters = sorted(set().union(*(q["options"] for q in questions)))
    counts = Counter(q["answer"] for q in questions)
    spread = [counts.get(letter, 0) for letter in letters]
    assert max(spread) - min(spread) <= 1, counts
    assert "(a half day uses questions 1–5)" in TICKET and "questions 1–5" in GUIDE
    assert f"all {len(questions)} questions" in GUIDE


# ------------------------------------------------------------------ offline install
def test_wheelhouse_target_fetches_the_pins_and_the_build_backend():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nwheelhouse:")[1].split("\n\n")[0]
    assert "tools/wheelhouse.py" in recipe and "$(WHEEL_ARGS)" in recipe
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import wheelhouse
    finally:
        sys.path.remove(str(ROOT / "tools"))
    command = wheelhouse.download_command(Path("/tmp/w"), [])
    assert "--only-binary=:all:" in command and str(ROOT / "requirements.txt") in command
    assert any(part.startswith("flit_core") for part in command), "pip install -e . needs the build backend"
    for line in ("pip install --no-index --find-links wheelhouse -r requirements.txt",
                 "pip install --no-index --find-links wheelhouse --no-deps -e ."):
        assert line in GUIDE and line in wheelhouse.__doc__


@pytest.mark.slow
def test_make_wheelhouse_then_install_with_no_network(tmp_path):
    """`make wheelhouse` (pip's cache makes it quick), then the guide's offline install in a fresh venv,
    with the package index off and every proxy pointing at a closed port."""
    house = tmp_path / "wheelhouse"
    made = subprocess.run(["make", "--no-print-directory", "wheelhouse", f"WHEELHOUSE={house}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=1200)
    assert made.returncode == 0, made.stdout[-2000:] + made.stderr[-2000:]
    assert (house / ".gitignore").read_text().splitlines()[-1] == "*"
    wheels = list(house.glob("*.whl"))
    assert wheels and {p.name for p in house.iterdir()} == {".gitignore", *(w.name for w in wheels)}, "wheels only"

    course = tmp_path / "course"  # a copy, so the editable install writes nothing into the repository
    for name in ("pyproject.toml", "README.md", "LICENSE", "requirements.txt"):
        course.mkdir(exist_ok=True)
        shutil.copy2(ROOT / name, course / name)
    shutil.copytree(ROOT / "course_utils", course / "course_utils", ignore=shutil.ignore_patterns("__pycache__"))

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = str(env_dir / "bin" / "python")
    offline = {key: value for key, value in os.environ.items() if not key.upper().startswith("PIP_")}
    offline.update(PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", HTTP_PROXY="http://127.0.0.1:9",
                   HTTPS_PROXY="http://127.0.0.1:9", http_proxy="http://127.0.0.1:9",
                   https_proxy="http://127.0.0.1:9", ALL_PROXY="http://127.0.0.1:9", NO_PROXY="")
    for args in (["-r", "requirements.txt"], ["--no-deps", "-e", "."]):
        result = subprocess.run([python, "-m", "pip", "install", "--no-compile", "--no-index", "--find-links",
                                 str(house), *args], cwd=course, env=offline, capture_output=True, text=True,
                                timeout=1800)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    check = subprocess.run([python, "-m", "pip", "check"], env=offline, capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout
    probe = ("import course_utils, numpy, matplotlib, ipywidgets, jupyterlab; "
             "print(course_utils.__file__); print(numpy.__version__)")
    result = subprocess.run([python, "-c", probe], cwd=tmp_path, env=offline, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    imported, numpy_version = result.stdout.split()
    assert Path(imported).is_relative_to(course), "course_utils is the editable copy"
    assert f"numpy=={numpy_version}" in (ROOT / "requirements.txt").read_text()


def test_the_live_slideshow_the_guide_names_is_pinned():
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert "`jupyterlab-rise` in `requirements.txt`" in GUIDE and "\njupyterlab-rise==" in requirements
    assert "`make slides`" in GUIDE and "artifacts/slides" in (ROOT / "Makefile").read_text()
