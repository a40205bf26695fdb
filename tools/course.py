"""Get course updates without losing your work, and put one notebook back as the course ships it.

For learners who cloned the course with git (on a laptop, or anywhere without a JupyterHub)::

    make update          # or: python3 tools/course.py update
    make reset NB=02     # or: python3 tools/course.py reset 02

``update`` does what nbgitpuller does on a JupyterHub, so the course behaves the same everywhere:

1. fetch the course's latest version (``git fetch``);
2. move aside any file of yours that has the name of a file the course adds (into ``backups/``);
3. bring back course files you deleted;
4. record your saved changes in a local commit ("My work before the course update of ...");
5. merge the course's version with ``git merge -Xours``: where you and the course changed the same
   lines, your lines win; everything else the course changed arrives.

Nothing you saved is lost: if the merge cannot finish, it is undone and your work stays in the
local commit. If a merged notebook is no longer valid JSON (both sides edited lines next to each
other), your version of that notebook is put back and the course's version is one ``reset`` away.

``reset 02`` copies your ``notebooks/02_*.ipynb`` to ``backups/notebooks/02_*.<date-time>.ipynb``
and writes the course's version (as of the last update) in its place.

Only the standard library and git are needed; any Python 3.8 or newer runs it (no .venv).
Save your notebooks in JupyterLab first: unsaved edits live only in the browser.
"""

import datetime
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BACKUPS = ROOT / "backups"

#: Who the automatic commits are by. Passed with ``git -c`` so that a learner who never configured
#: git can update; signing and hooks are off, because nobody is there to answer their prompts.
GIT_IDENTITY = ["-c", "user.name=Course update", "-c", "user.email=course-update@localhost",
                "-c", "commit.gpgsign=false"]


class CourseError(Exception):
    """A problem the learner can fix; its message says how, and what (if anything) was changed."""


def git(*args, check=True):
    """Run git in the course folder and return its standard output (stripped)."""
    try:
        result = subprocess.run(["git", *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                universal_newlines=True, stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise CourseError("git is not installed: install it (https://git-scm.com) and try again.") from None
    if check and result.returncode != 0:
        raise subprocess.CalledProcessError(result.returncode, ["git", *args], result.stdout, result.stderr)
    return result.stdout.strip()


def git_ok(*args):
    """True when the git command succeeds."""
    try:
        git(*args)
    except subprocess.CalledProcessError:
        return False
    return True


def now_stamp():
    return datetime.datetime.now().strftime("%Y%m%d-%H%M%S")


def require_clone():
    """Stop with a clear message unless the course folder is a git clone with a course to follow."""
    if not git_ok("rev-parse", "--is-inside-work-tree") or Path(git("rev-parse", "--show-toplevel")) != ROOT:
        raise CourseError(f"{ROOT} is not a git clone of the course (downloaded as a ZIP?): download the "
                          "new version into another folder and copy your notebooks across. Nothing was changed.")
    if (ROOT / ".git" / "MERGE_HEAD").exists():
        raise CourseError("a git merge is in progress here: finish it or run `git merge --abort`, then try "
                          "again. Nothing was changed.")


def upstream_ref():
    """The remote branch the course comes from, e.g. ``origin/main``."""
    upstream = git("rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}", check=False)
    if upstream and not upstream.startswith("@{"):
        return upstream
    branch = git("symbolic-ref", "--short", "-q", "HEAD", check=False)
    if branch and git_ok("rev-parse", "--verify", "-q", f"refs/remotes/origin/{branch}"):
        return f"origin/{branch}"
    raise CourseError("this clone does not follow a branch of the course (no upstream branch): "
                      "run `git checkout main` and try again. Nothing was changed.")


def backup_path(relative):
    """A new, unused path under backups/ for the file at ``relative`` (a path inside the course)."""
    relative = Path(relative)
    folder = BACKUPS / relative.parent
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now_stamp()
    candidate = folder / f"{relative.stem}.{stamp}{relative.suffix}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{relative.stem}.{stamp}-{number}{relative.suffix}"
        number += 1
    return candidate


def is_valid_notebook(path):
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(content, dict) and isinstance(content.get("cells"), list)


# --------------------------------------------------------------------------------------------
# update
# --------------------------------------------------------------------------------------------

def update():
    require_clone()
    upstream = upstream_ref()
    remote = upstream.split("/", 1)[0]
    print(f"Fetching the course's latest version from {remote} ...")
    try:
        git("fetch", "--quiet", remote)
    except subprocess.CalledProcessError as error:
        said = (error.stderr.strip().splitlines() or ["no answer"])[-1]
        raise CourseError(f"could not reach the course's repository ({said}); are you online? "
                          "Nothing was changed.") from None

    if git_ok("merge-base", "--is-ancestor", upstream, "HEAD"):
        print("Already up to date: you have the course's latest version.")
        return

    # 2. Files of yours that have the name of a file the course adds: move them into backups/.
    base = git("merge-base", "HEAD", upstream)
    added = git("diff", "--name-only", "--diff-filter=A", "-z", base, upstream).split("\0")
    for name in filter(None, added):
        path = ROOT / name
        if path.exists() and not git_ok("ls-files", "--error-unmatch", "--", name):
            target = backup_path(name)
            shutil.move(str(path), str(target))
            print(f"  {name}: the course adds a file with this name; yours is now {target.relative_to(ROOT)}")

    # 3. Course files you deleted come back (as on a hub: deleting is how to get a fresh copy there).
    for name in filter(None, git("ls-files", "--deleted", "-z").split("\0")):
        git("checkout", "--", name)
        print(f"  {name}: restored (it had been deleted)")

    # 4. Your saved changes go into a local commit, so that the merge can keep them.
    changed = git("diff", "HEAD", "--name-only")
    if changed:
        stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
        git(*GIT_IDENTITY, "commit", "--quiet", "--no-verify", "--all",
            "-m", f"My work before the course update of {stamp}")
        print(f"  your changes are recorded: {', '.join(changed.splitlines())}")

    # 5. Merge: your lines win where both sides changed the same lines.
    before = git("rev-parse", "HEAD")
    merge = subprocess.run(["git", *GIT_IDENTITY, "merge", "--quiet", "--no-edit", "--no-verify", "-Xours",
                            "-m", "Course update", upstream],
                           cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
                           stdin=subprocess.DEVNULL)
    if merge.returncode != 0:
        git("merge", "--abort", check=False)
        raise CourseError("the course's update could not be combined with your changes automatically (for "
                          "example, a notebook you changed was removed from the course); nothing was lost and "
                          "the update was not applied: your work is in the commit 'My work before the course "
                          "update', and your instructor can help.\n" + merge.stdout.strip())

    # A notebook is JSON: a line-by-line merge of two edits next to each other can break it.
    merged = git("diff", "--name-only", "-z", before, "HEAD").split("\0")
    for name in filter(None, merged):
        path = ROOT / name
        if path.suffix == ".ipynb" and path.exists() and not is_valid_notebook(path):
            path.write_bytes(subprocess.run(["git", "show", f"{before}:{name}"], cwd=ROOT,
                                            stdout=subprocess.PIPE, check=True).stdout)
            print(f"  {name}: your version and the course's could not be combined, so yours is kept; "
                  f"`make reset NB={Path(name).name[:2]}` gets the course's (yours goes to backups/)")
    print(f"Updated to the course's latest version ({git('log', '-1', '--format=%h %s', upstream)}).")
    print("`make lab` installs anything new that the update needs.")


# --------------------------------------------------------------------------------------------
# reset
# --------------------------------------------------------------------------------------------

def find_notebook(which, ref):
    """The course notebook named by ``which``, as a relative path.

    ``which`` is "02", "2", "02_sigmoid" or a path for the English edition, and "ko/02" or "ja/02_sigmoid"
    for the Korean or Japanese one.
    """
    names = [n for n in git("ls-tree", "-r", "--name-only", "-z", ref, "--", "notebooks").split("\0")
             if n.endswith(".ipynb")]
    text = str(which).strip().replace("\\", "/")
    if text.startswith("notebooks/"):
        text = text[len("notebooks/"):]
    edition, _, text = text.rpartition("/")
    folder = f"notebooks/{edition}" if edition else "notebooks"
    if text.isdigit():
        text = f"{int(text):02d}"
    in_edition = [n for n in names if str(Path(n).parent) == folder]
    matches = [n for n in in_edition
               if Path(n).name == text or Path(n).stem == text or Path(n).name.startswith(text + "_")]
    if len(matches) != 1:
        listing = ", ".join(Path(n).stem[:2] for n in sorted(in_edition)) or "none in that folder"
        raise CourseError(f"no single course notebook matches {which!r}: give its number ({listing}), "
                          "e.g. `make reset NB=02`, or `make reset NB=ko/02` for the Korean edition. "
                          "Nothing was changed.")
    return matches[0]


def reset(which):
    if not which:
        raise CourseError("say which notebook: `make reset NB=02` (or `python3 tools/course.py reset 02`).")
    require_clone()
    try:
        ref = upstream_ref()
    except CourseError:
        ref = "HEAD"  # no remote: the version of the last commit is the original
    name = find_notebook(which, ref)
    original = subprocess.run(["git", "show", f"{ref}:{name}"], cwd=ROOT, stdout=subprocess.PIPE,
                              check=True).stdout
    path = ROOT / name
    if path.exists() and path.read_bytes() == original:
        print(f"{name} is already the course's version: nothing to do.")
        return
    if path.exists():
        target = backup_path(name)
        shutil.copy2(str(path), str(target))
        kept = f"yours is kept as {target.relative_to(ROOT)}"
    else:
        kept = "there was no file to keep"
    path.write_bytes(original)
    print(f"{name} is back to the course's version; {kept}.")
    print("If it is open in JupyterLab, use File > Reload Notebook from Disk (or choose 'Revert' if JupyterLab "
          "says the file changed on disk): saving the old view would write your version back.")


def main(argv):
    usage = "usage: python3 tools/course.py update | reset NN"
    if not argv or argv[0] not in ("update", "reset"):
        print(usage, file=sys.stderr)
        return 2
    try:
        if argv[0] == "update":
            update()
        else:
            reset(argv[1] if len(argv) > 1 else "")
    except CourseError as problem:
        print(f"{argv[0].capitalize()} stopped: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
