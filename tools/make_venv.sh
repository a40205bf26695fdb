#!/bin/sh
# Check the Python that will build .venv, then create .venv with it, or keep the one that is there.
#
#   sh tools/make_venv.sh PYTHON VENV MIN MAX GOAL
#   e.g. sh tools/make_venv.sh python3 .venv 3.11 3.13 lab
#
# * PYTHON missing, or outside MIN..MAX: print ONE sentence saying what to install and how to
#   run `make GOAL` with it, exit 1, and touch nothing (no .venv is created).
# * VENV/.python (the stamp) records "MAJOR.MINOR /real/path/of/the/interpreter" of the Python
#   that built VENV. This script writes it as VENV/.python.new; the Makefile renames it to
#   VENV/.python only after the runtime packages are installed, so a missing stamp means the
#   set-up did not finish. VENV is kept when the stamp names this same interpreter and
#   VENV/bin/python still runs that version; otherwise (an older set-up without stamp, another
#   Python, an interrupted or failed install, an interpreter that was removed) VENV is deleted
#   and created again.
# * The stamp changes only when VENV is (re)built, so make reinstalls the packages then and only
#   then (or when a requirements file changes).
#
# POSIX sh, and the probe below is valid Python 2 and 3: it must be able to report an old Python.
set -u

python=$1 venv=$2 min=$3 max=$4 goal=${5:-lab}

probe='import os, sys; print("%d.%d %s" % (sys.version_info[0], sys.version_info[1], os.path.realpath(sys.executable)))'

# The first of these that exists, to suggest a command that works on this machine.
suggestion=""
for candidate in python3.13 python3.12 python3.11; do
    if command -v "$candidate" >/dev/null 2>&1; then
        found=$("$candidate" -c "$probe" 2>/dev/null | cut -d' ' -f1)
        if [ "$found" = "${candidate#python}" ]; then suggestion=$candidate; break; fi
    fi
done
if [ -n "$suggestion" ]; then
    what_to_do="$suggestion is installed, so run \`make $goal PYTHON=$suggestion\`"
else
    what_to_do="install one (python.org, or your system's package manager) and run \`make $goal PYTHON=python3.12\`"
fi

identity=$("$python" -c "$probe" 2>/dev/null)
if [ -z "$identity" ]; then
    echo "No Python found at '$python'; this course needs Python $min–$max: $what_to_do." >&2
    exit 1
fi

version=${identity%% *}
as_number() {  # 3.9 -> 3009, 3.11 -> 3011: compares correctly as integers
    echo "$1" | awk -F. '{ printf "%d", $1 * 1000 + $2 }'
}
if [ "$(as_number "$version")" -lt "$(as_number "$min")" ] || [ "$(as_number "$version")" -gt "$(as_number "$max")" ]; then
    echo "Python $version found ($python); this course needs Python $min–$max: $what_to_do." >&2
    exit 1
fi

stamp="$venv/.python"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$identity" ]; then
    in_venv=$("$venv/bin/python" -c "$probe" 2>/dev/null | cut -d' ' -f1)
    if [ "$in_venv" = "$version" ]; then
        exit 0  # the right .venv is already there
    fi
fi

if [ -e "$venv" ]; then
    if [ -f "$stamp" ]; then
        echo "Rebuilding $venv: it was made by Python $(cut -d' ' -f1 "$stamp") ($(cut -d' ' -f2- "$stamp")), this run uses Python $version ($python)."
    else
        echo "Rebuilding $venv: an earlier set-up did not finish."
    fi
    rm -rf "$venv"
fi
"$python" -m venv "$venv" || exit 1
echo "$identity" > "$stamp.new"
