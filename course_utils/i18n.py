"""Messages in the learner's language: English (the source), Korean or Japanese.

The notebooks of the Korean and Japanese editions call ``set_language("ko")`` or
``set_language("ja")`` once, at the top; from then on every message that ``course_utils`` wraps
in ``_()`` comes out in that language. A message with no translation yet comes out in English.

Built on the standard library's :mod:`gettext`: the translations are compiled catalogs
(``course_utils/locales/<lang>/LC_MESSAGES/course_utils.mo``) that ship inside the package,
so nothing extra is installed at run time. The catalogs are made from ``locales/<lang>/course_utils.po``
by ``python tools/i18n.py update`` (see CONTRIBUTING.md, "Translations").

How a module wraps its messages (``_`` is looked up each time, so call it when the message is
shown, not when the module is imported)::

    from .i18n import _, ngettext

    raise ValueError(_("x must be a NumPy array, got {kind}").format(kind=type(x).__name__))
    print(ngettext("{count} point is misclassified", "{count} points are misclassified", count).format(count=count))

Rules: pass ``_()`` one plain string literal (never an f-string: the catalog could not find it),
and put values in with named ``{fields}`` and ``.format()`` after the lookup, so that a translator
can move them. A message written once at import time (a module-level constant) is marked with
``N_("...")`` where it is written and translated with ``_(CONSTANT)`` where it is shown.
"""

from __future__ import annotations

import gettext
from pathlib import Path

__all__ = ["LANGUAGES", "set_language", "get_language", "_", "N_", "ngettext", "pgettext"]

#: The gettext domain: the catalogs are ``<lang>/LC_MESSAGES/course_utils.mo``.
DOMAIN = "course_utils"

#: Where the compiled catalogs ship: inside the package, so an installed copy has them too.
LOCALE_DIR = Path(__file__).resolve().parent / "locales"

#: The course's languages, by code, with the name each language gives itself.
LANGUAGES = {"en": "English", "ko": "한국어", "ja": "日本語"}

#: Fonts that draw Korean or Japanese text in figures, best first. Debian's fonts-noto-cjk
#: (CI, Binder) gives the Noto Sans CJK families (one font file holds every region's glyphs, so
#: "Noto Sans CJK JP" draws Hangul too); macOS and Windows have the system fonts further down.
CJK_FONTS = {
    "ko": ("Noto Sans CJK KR", "Noto Sans KR", "Source Han Sans K", "NanumGothic", "Apple SD Gothic Neo",
           "AppleGothic", "Malgun Gothic", "Noto Sans CJK JP"),
    "ja": ("Noto Sans CJK JP", "Noto Sans JP", "Source Han Sans", "IPAexGothic", "IPAGothic", "TakaoGothic",
           "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic", "Meiryo", "MS Gothic"),
}

#: Latin, Greek and maths symbols keep matplotlib's own font, so figures look the same in every
#: edition; only the characters it lacks (Hangul, kana, kanji) come from the CJK font.
LATIN_FONT = "DejaVu Sans"

_language = "en"
_translations: gettext.NullTranslations = gettext.NullTranslations()


def set_language(lang: str, localedir: str | Path | None = None) -> str:
    """Show ``course_utils``' messages in ``lang`` from now on: ``"en"``, ``"ko"`` or ``"ja"``.

    Also lets matplotlib draw Korean or Japanese text in figures: the first installed font of
    :data:`CJK_FONTS` is added after matplotlib's own font (characters that font lacks are
    taken from the next one). With none installed, figures keep their usual font. A figure
    keeps the fonts it was made with, so call this before making figures (notebooks call it
    in their first code cell).

    Parameters
    ----------
    lang : str
        A key of :data:`LANGUAGES`.
    localedir : str or Path, optional
        Where the compiled catalogs are; default :data:`LOCALE_DIR` (tests use their own).

    Returns
    -------
    str
        The CJK font that figures use now, or ``""`` for English or when none is installed.

    Raises
    ------
    ValueError
        If ``lang`` is not one of the course's languages.
    """
    global _language, _translations
    if not isinstance(lang, str) or lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(repr(code) for code in LANGUAGES)}, got {lang!r}")
    if lang == "en":
        _translations = gettext.NullTranslations()
    else:
        folder = LOCALE_DIR if localedir is None else Path(localedir)
        # fallback=True: with no compiled catalog, every message stays in English.
        _translations = gettext.translation(DOMAIN, localedir=folder, languages=[lang], fallback=True)
    _language = lang
    return _use_figure_font(lang)


def get_language() -> str:
    """The language set by :func:`set_language` (``"en"`` until it is called)."""
    return _language


def _(message: str) -> str:
    """``message`` in the current language, or ``message`` itself when it has no translation."""
    return _translations.gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it now (for module-level constants)."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form that fits ``count``, in the current language.

    Korean and Japanese have one form for every count; English has two.
    """
    return _translations.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, for one ``context`` (a short word a translator can see).

    For the rare English word that needs two translations, e.g. ``pgettext("axis label", "output")``.
    """
    return _translations.pgettext(context, message)


def _use_figure_font(lang: str) -> str:
    """Put the first installed CJK font of ``lang`` after matplotlib's own font; return its name."""
    import matplotlib as mpl
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    for family in CJK_FONTS.get(lang, ()):
        if family in installed:
            mpl.rcParams["font.family"] = [LATIN_FONT, family]
            return family
    mpl.rcParams["font.family"] = mpl.rcParamsDefault["font.family"]
    return ""
