"""Find a font with Chinese glyphs and make matplotlib use it.

Matplotlib's bundled DejaVu fonts have no CJK glyphs, so a figure with Chinese
names would show empty boxes. :func:`use_cjk_font` finds an installed CJK font
(or the file named by ``STAKEGRAPH_FONT``), registers it with matplotlib and puts
it first in ``font.sans-serif``. Nothing happens at import time: the figures call
it when they draw.

Search order
------------
1. the ``font`` argument, then the ``STAKEGRAPH_FONT`` environment variable
   (a path to a .ttf/.otf/.ttc file);
2. fonts matplotlib already knows, by family name (:data:`CJK_FAMILIES`);
3. ``fc-list :lang=zh`` (fontconfig), which also sees fonts installed after
   matplotlib built its font cache;
4. well-known install paths on Debian/Ubuntu, Fedora, Arch, macOS and Windows.

When nothing is found, :class:`MissingCJKFontWarning` is issued once, saying how
to install a font, and matplotlib's warning for each character it cannot draw is
silenced, so a report gives one clear warning rather than thousands of lines.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "STAKEGRAPH_FONT"

#: Family names with Chinese glyphs, preferred first (simplified Chinese, sans first).
CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "Noto Sans CJK HK",
    "Source Han Sans",
    "Source Han Sans TW",
    "Source Han Sans JP",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "STHeiti",
    "Droid Sans Fallback",
    "Noto Serif CJK SC",
    "Noto Serif CJK TC",
    "Noto Serif CJK JP",
    "Source Han Serif SC",
    "Source Han Serif CN",
    "AR PL UMing CN",
    "AR PL UMing TW",
    "AR PL UKai CN",
    "AR PL UKai TW",
    "SimSun",
    "Arial Unicode MS",
)

#: Files where common CJK fonts are installed, checked when fontconfig is absent.
COMMON_PATHS: tuple[str, ...] = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/adobe-source-han-sans/SourceHanSansSC-Regular.otf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
)

INSTALL_HINT = (
    "No font with Chinese glyphs was found, so Chinese labels in figures would show as "
    "empty boxes. Install one (Debian/Ubuntu: 'apt-get install fonts-noto-cjk'; Fedora: "
    "'dnf install google-noto-sans-cjk-fonts'; macOS and Windows ship one) or point "
    f"{ENV_VAR} at a font file, e.g. {ENV_VAR}=/path/to/NotoSansCJKsc-Regular.otf."
)

_SAMPLE = "决策链覆盖"


class MissingCJKFontWarning(UserWarning):
    """No installed font can draw Chinese; figures will show empty boxes."""


@dataclass(frozen=True)
class CJKFont:
    """A font matplotlib can use for Chinese: its family name and file."""

    name: str
    path: Path


_found: CJKFont | None = None
_warned = False


def _font_manager():
    from matplotlib import font_manager

    return font_manager


def _has_chinese(fname: Path | str, index: int = 0) -> bool:
    """Does this face of a font file have glyphs for a few common hanzi?"""
    from matplotlib import ft2font

    try:
        try:
            face = ft2font.FT2Font(str(fname), face_index=index)
        except TypeError:  # matplotlib < 3.10 reads the first face only
            face = ft2font.FT2Font(str(fname))
    except (OSError, RuntimeError, ValueError):
        return False
    return all(face.get_char_index(ord(ch)) for ch in _SAMPLE)


def _register(path: Path) -> CJKFont | None:
    """Add a font file to matplotlib and return its best CJK family, if any.

    A collection (.ttc) adds every face; the face whose family comes first in
    :data:`CJK_FAMILIES` wins (Noto Sans CJK SC over JP).
    """
    fm = _font_manager()
    resolved = path.resolve()
    try:
        fm.fontManager.addfont(str(resolved))
    except (OSError, RuntimeError, ValueError):
        return None
    faces = [
        entry
        for entry in fm.fontManager.ttflist
        if Path(entry.fname).resolve() == resolved
        and _has_chinese(entry.fname, getattr(entry, "index", 0))
    ]
    if not faces:
        return None
    rank = {name: i for i, name in enumerate(CJK_FAMILIES)}
    best = min(faces, key=lambda e: (rank.get(e.name, len(rank)), e.weight != 400, e.name))
    return CJKFont(best.name, resolved)


def _known_to_matplotlib() -> CJKFont | None:
    fm = _font_manager()
    by_name: dict[str, list[tuple[bool, str]]] = {}
    for entry in fm.fontManager.ttflist:
        by_name.setdefault(entry.name, []).append((entry.weight != 400, entry.fname))
    for family in CJK_FAMILIES:
        for _, fname in sorted(by_name.get(family, [])):
            if Path(fname).is_file():
                found = _register(Path(fname))
                if found is not None:
                    return found
    return None


def _fontconfig_fonts() -> list[tuple[Path, list[str]]]:
    """(file, family names) of the fonts fontconfig lists as covering Chinese.

    Preferred families come first and, within a family, regular faces before bold
    or light ones.
    """
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return []
    try:
        out = subprocess.run(
            [fc_list, ":lang=zh", "file", "family", "style"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    rank = {name: i for i, name in enumerate(CJK_FAMILIES)}
    fonts: dict[Path, tuple[int, bool, list[str]]] = {}
    for line in out.splitlines():
        fname, _, rest = line.partition(":")
        if not fname.strip():
            continue
        families_text, _, style = rest.partition(":style=")
        names = [f.strip() for f in families_text.split(",") if f.strip()]
        score = min((rank.get(n, len(rank)) for n in names), default=len(rank))
        regular = any(s.strip() in ("Regular", "Book", "Normal") for s in style.split(","))
        path = Path(fname.strip())
        old = fonts.get(path)
        if old is None or (score, not regular) < old[:2]:
            fonts[path] = (score, not regular, names + (old[2] if old else []))
    order = sorted(fonts, key=lambda p: (fonts[p][0], fonts[p][1], str(p)))
    return [(p, fonts[p][2]) for p in order]


def _search_files() -> CJKFont | None:
    """Register the best CJK font fontconfig or the usual paths know of."""
    listed = _fontconfig_fonts()
    for path in [p for p, _ in listed] + [Path(p) for p in COMMON_PATHS]:
        if not path.is_file():
            continue
        found = _register(path)
        if found is None:
            continue
        # the other weights of the family too, so bold labels are drawn bold
        for other, names in listed:
            if other != path and found.name in names:
                _register(other)
        return found
    return None


def _from_file(path: Path | str, origin: str) -> CJKFont | None:
    path = Path(path).expanduser()
    if not path.is_file():
        warnings.warn(
            f"{origin} names {path}, which is not a file; looking for an installed CJK font "
            "instead.",
            MissingCJKFontWarning,
            stacklevel=4,
        )
        return None
    found = _register(path)
    if found is None:
        warnings.warn(
            f"{origin} names {path}, which matplotlib cannot use for Chinese text (no "
            "hanzi glyphs or not a TrueType/OpenType font); looking for an installed CJK "
            "font instead.",
            MissingCJKFontWarning,
            stacklevel=4,
        )
    return found


def find_cjk_font(font: Path | str | None = None) -> CJKFont | None:
    """Find a font with Chinese glyphs and register it with matplotlib.

    Parameters
    ----------
    font : path, optional
        A font file to use; otherwise ``$STAKEGRAPH_FONT``, otherwise a search of the
        installed fonts (see the module docstring for the order).

    Returns
    -------
    CJKFont or None
        The family name and file of the font; None when nothing was found, in which
        case a :class:`MissingCJKFontWarning` with installation advice is issued once
        per process.
    """
    global _found, _warned
    if font is not None:
        found = _from_file(font, "the font argument")
        if found is not None:
            return found
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        found = _from_file(env, ENV_VAR)
        if found is not None:
            return found
    if _found is not None and _found.path.is_file():
        return _found
    found = _known_to_matplotlib()
    if found is None:
        found = _search_files()
    if found is None:
        if not _warned:
            _warned = True
            warnings.warn(INSTALL_HINT, MissingCJKFontWarning, stacklevel=3)
        return None
    _found = found
    return found


def use_cjk_font(font: Path | str | None = None) -> CJKFont | None:
    """Configure matplotlib to draw Chinese: the CJK font first in ``font.sans-serif``.

    Sets ``font.family`` to sans-serif, puts the font found by :func:`find_cjk_font`
    at the head of ``font.sans-serif`` (the other fonts stay behind it as
    fallbacks) and turns ``axes.unicode_minus`` off, since many CJK fonts lack the
    Unicode minus sign. Safe to call repeatedly.

    Returns
    -------
    CJKFont or None
        The font in use, or None (after a one-time warning) when none was found.
    """
    import matplotlib as mpl

    found = find_cjk_font(font)
    if found is None:
        _quiet_missing_glyphs()
        return None
    families = [f for f in mpl.rcParams["font.sans-serif"] if f != found.name]
    mpl.rcParams["font.family"] = ["sans-serif"]
    mpl.rcParams["font.sans-serif"] = [found.name, *families]
    mpl.rcParams["axes.unicode_minus"] = False
    return found


#: What matplotlib says for each character its font cannot draw.
_MISSING_GLYPH = r"Glyph \d+ .*missing from (current )?font"


def _quiet_missing_glyphs() -> None:
    """Say the missing font once, not once per character per figure.

    Without a CJK font matplotlib warns for every hanzi in every label it draws:
    thousands of lines from one report, burying the one warning that says how to
    install a font. That warning has been given; the rest are silenced.
    """
    warnings.filterwarnings("ignore", message=_MISSING_GLYPH, category=UserWarning)


def _reset() -> None:
    """Forget the font found and the warning given (for tests)."""
    global _found, _warned
    _found = None
    _warned = False
