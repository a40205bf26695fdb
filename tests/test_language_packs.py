"""JupyterLab's menus in Korean and Japanese: the pinned language packs load in the pinned JupyterLab.

The packs ``jupyterlab-language-pack-ko-KR`` and ``-ja-JP`` were last released for JupyterLab 4.5;
these tests check that JupyterLab's own server code (the code behind Settings > Language) finds them
in the installed environment and serves real translations of the menus a learner uses.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

translation_utils = pytest.importorskip("jupyterlab_server.translation_utils")

ROOT = Path(__file__).resolve().parents[1]
PACKS = {"ko_KR": ("jupyterlab-language-pack-ko-KR", "한국어"), "ja_JP": ("jupyterlab-language-pack-ja-JP", "日本語")}
#: Menu items a learner meets in the course: Run All Cells, Restart Kernel, Edit, Settings.
MENU_ITEMS = ["Edit", "Run", "Settings", "Run All Cells"]
HANGUL_OR_KANA_KANJI = re.compile(r"[\uac00-\ud7a3\u3040-\u30ff\u4e00-\u9fff]")


def pinned(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[name.strip().lower()] = version.strip()
    return pins


@pytest.mark.parametrize("requirements", ["requirements.txt", "binder/requirements.txt"])
def test_both_language_packs_are_pinned(requirements):
    pins = pinned(ROOT / requirements)
    for package, _ in PACKS.values():
        assert package.lower() in pins, f"{requirements} should pin {package}"


def test_jupyterlab_lists_korean_and_japanese_in_settings_language():
    packs, message = translation_utils.get_language_packs("en")
    assert not message, message
    for locale, (_, native) in PACKS.items():
        assert locale in packs, f"JupyterLab does not find the {locale} pack: {sorted(packs)}"
        assert native in packs[locale]["nativeName"]


@pytest.mark.parametrize("locale", sorted(PACKS))
def test_the_pack_translates_the_menus_a_learner_uses(locale):
    data, message = translation_utils.get_language_pack(locale)
    assert not message, message
    strings = data["jupyterlab"]
    assert len(strings) > 1000, f"{locale}: only {len(strings)} JupyterLab strings translated"
    for item in MENU_ITEMS:
        translated = strings.get(item)
        assert translated and HANGUL_OR_KANA_KANJI.search(translated[0]), f"{locale}: {item!r} -> {translated!r}"
