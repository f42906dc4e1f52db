"""zh-style.md as a checker: the rules a Chinese string of fieldtui must keep, as code.

One function looks at any Chinese text — a catalog entry, a rendered screen, a command's
output — and returns what breaks the conventions of ``/work/shared/zh-style.md``:

    from zh_style import text_problems, assert_zh_style
    assert_zh_style(screen_text(app), where="visits screen")

``tests/test_zh_style.py`` runs it over the whole zh_CN catalog, over every area of
``fieldtui.ui.areas.AREAS`` and every shot of ``scripts/screenshots.py`` (so a new screen is
checked as soon as it is an area or a shot), and over the Chinese output of every command of
the command line (a new command fails until it has an example run there).

The rules (each problem names its rule, so a failure says what to fix):

- ``ascii-punct``: ASCII ``: , ( ) ' "`` touching a Chinese character or full-width mark
  (``前往: 企业台账``, ``（收到 '.txt'）``), or an ASCII bracket a space after Chinese
  (``陈芳 (2594-6827)``). A Windows-style key hint right after Chinese is the
  one exception: ``保存(S)``, ``删除(Del)``, ``校验文件(F5)``.
- ``hint-space``: a space between Chinese and a bracketed hint (``删除 (Y)``).
- ``english``: an English word that is not a name of the program, a key, a command, an option,
  a code or an abbreviation (``record a visit``). Words from the command line, the code lists
  and the tables are allowed automatically (:func:`known_words`).
- ``measure-word``: 企业 counted with other than 家, 项目 with other than 个, 人员 with other than
  名 (``挂点企业363个``).
- ``rejected``: a term the glossary rejects (官员, 时间线, 校验位, 必需, 回车, 按键 as a noun,
  实为, 都叫, 需要片刻, 不像表格, 输入以, 以便区分, 预检, 不是有效日期 …).
- catalog only (``authored=True``: text as written, with its ``{placeholders}``):
  ``number-space`` (``共 300 家``: no space between Chinese and a number), ``ellipsis`` (one
  ``…`` or ``...`` in a sentence: write ``……``), ``repr`` (``{value!r}``: Python's quotes),
  ``bare-year`` (``{year}年`` for a plan year: ``{year}年度``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "KEY_NAMES",
    "TECH_WORDS",
    "Problem",
    "assert_zh_style",
    "catalog_problems",
    "has_chinese",
    "known_words",
    "text_problems",
]

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_FULL = "，。、：；！？（）“”‘’《》【】…—·"
CJK = re.compile(f"[{_CJK}]")
_CHINESE_OR_FULL = re.compile(f"[{_CJK}{_FULL}]")

_KEYS = """
    enter esc escape tab shift ctrl alt super del delete ins insert home end pgup pgdn
    pageup pagedown page up down left right space backspace
    f1 f2 f3 f4 f5 f6 f7 f8 f9 f10 f11 f12
"""
KEY_NAMES = frozenset(_KEYS.split())
"""Key names, as fieldtui and Textual's footer write them (any case)."""

_TECH = """
    fieldtui textual sqlite json jsonl csv xlsx xls wps excel utf gbk gb sha toml zip xml
    python pinyin wal id ids uscc usb mb kb gib mib ok svg lf crlf bom fieldsync fieldjoin
    yyyy mm dd hh ss
"""
TECH_WORDS = frozenset(_TECH.split())
"""Names of programs, formats and standards that stay as they are in Chinese text."""

_KEY_HINT = re.compile(
    r"\((?:(?:ctrl|shift|alt|super)\+)*(?:[a-z]|f\d{1,2}|del|delete|esc|enter|tab|ins|home|end|"
    r"pgup|pgdn|space|backspace|[↑↓←→⏎])\)",
    re.IGNORECASE,
)
_PUNCT = ":,()'\""
_QUOTED = re.compile(r"“[^“”]*”")
_WORD = re.compile(r"[A-Za-z][A-Za-z']*")
_TOKEN = re.compile(r"[^\s\u3000" + _CJK + _FULL + r"]+")

_REJECTED: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), why)
    for pattern, why in (
        (r"官员", "an officer record is 人员"),
        (r"时间线", "the service timeline is 服务记录"),
        (r"校验位", "a USCC's last character is its 校验码"),
        (r"必需", "required is 必填"),
        (r"回车", "the key is Enter"),
        (r"按键(?!盘)", "a key is a 快捷键"),
        (r"实为", "“got X” is 当前为X"),
        (r"收到\s*[“'\"]", "“got X” is 当前为X"),
        (r"都叫", "say 同名 or 名为"),
        (r"看看", "say 查看"),
        (r"需要片刻", "say 请稍候 or how long"),
        (r"不像表格", "say what is wrong with the file"),
        (r"输入以", "no 以-translationese: 输入关键字搜索"),
        (r"以便区分", "tell same-name officers apart by unit, never rename one"),
        (r"预检", "checking a file before import is 校验"),
        (r"检查文件", "checking a file before import is 校验"),
        (r"不是有效(?:日期|金额|年份|的是/否值)", "say what is wrong and how it should be"),
        (r"解决了", "a problem done is 办结"),
        (r"过期", "a problem late is 超期"),
        (r"(?<![有未])遵守", "negative-list answers are 未违反 / 有违反"),
    )
)

_COUNTED = re.compile(r"(?:\d+|\{[^{}]*\})[ ]?(家|个|名|条|次|位|人)[ ]?(企业|项目|人员)")
_COUNT_AFTER = re.compile(
    r"(企业|项目|人员)(?:共)?(?:\d+|\{[^{}]*\})\s*(家|个|名|条|位|人)(?![次])"
)
_MEASURE = {"企业": "家", "项目": "个", "人员": "名"}

_NUMERIC_NAMES = (
    "n|count|size|total|seconds|percent|year|years|days|index|limit|pending|held|kept|reissued|"
    "added|created|updated|opened|closed|shown|answered|skipped|enterprises|projects"
)
_NUMBER = rf"(?:(?<![\w./+:-])\d+(?:\.\d+)?(?![\w./+:-])|\{{(?:{_NUMERIC_NAMES})(?::[^{{}}]*)?\}})"
_NUMBER_SPACE = re.compile(rf"[{_CJK}] +{_NUMBER}|{_NUMBER} +[{_CJK}]")


@dataclass(frozen=True, slots=True)
class Problem:
    rule: str
    where: str
    excerpt: str
    why: str = ""

    def __str__(self) -> str:
        why = f" ({self.why})" if self.why else ""
        return f"{self.where}: {self.rule}: …{self.excerpt}…{why}"


def has_chinese(text: str) -> bool:
    return bool(CJK.search(text))


def _excerpt(text: str, start: int, end: int, margin: int = 12) -> str:
    return text[max(0, start - margin) : end + margin].replace("\n", "⏎")


def _is_chinese(ch: str) -> bool:
    return bool(_CHINESE_OR_FULL.fullmatch(ch))


def known_words(*groups: Iterable[str]) -> frozenset[str]:
    """Words allowed in Chinese text besides :data:`KEY_NAMES` and :data:`TECH_WORDS`:
    command names, options, metavars, codes… each split into its letter runs, lower case."""
    words: set[str] = set()
    for group in groups:
        for item in group:
            words.update(w.lower() for w in re.findall(r"[A-Za-z]+", str(item)))
    return frozenset(words)


def _code_like(token: str) -> bool:
    """A path, an option, an identifier, a number or an id: not prose."""
    if any(c.isdigit() for c in token) or re.fullmatch(r"\[[\w.]+\]\W*", token):
        return True  # a number, an id, a TOML table ([keys])
    core = token.strip(".,:;()'\"[]<>!?…")
    if not core:
        return True
    if re.search(r"[-_./\\$%=+<>|#@~*^`{}]", core):
        return True
    letters = re.sub(r"[^A-Za-z]", "", core)
    if letters.isupper() and len(letters) >= 1:
        return True  # a metavar (KIND, FILE), an abbreviation (USCC) or a key (F5, S)
    return bool(letters) and not re.search(r"[aeiouy]", letters, re.IGNORECASE)  # hhhb, gdzn


def text_problems(
    text: str,
    where: str = "text",
    *,
    allowed: frozenset[str] = frozenset(),
    authored: bool = False,
) -> list[Problem]:
    """Everything in ``text`` that breaks zh-style.md. Text without any Chinese is not looked
    at for English (an English-only message is not Chinese output); in Chinese text every
    line is, since an untranslated help line has no Chinese of its own.

    ``authored``: the text is a catalog entry as written (``{placeholders}`` unfilled), so
    the rules that need the author's own spacing and ellipses apply too.
    """
    problems: list[Problem] = []

    def add(rule: str, start: int, end: int, why: str = "") -> None:
        problems.append(Problem(rule, where, _excerpt(text, start, end), why))

    for i, ch in enumerate(text):
        if ch not in _PUNCT:
            continue
        left = text[i - 1] if i > 0 else ""
        right = text[i + 1] if i + 1 < len(text) else ""
        if not (_is_chinese(left) or _is_chinese(right)):
            continue
        if ch == "(" and _KEY_HINT.match(text, i):
            continue  # 保存(S): the Windows way of a key hint
        if ch == ")" and any(_KEY_HINT.fullmatch(text, j, i + 1) for j in range(max(0, i - 16), i)):
            continue
        add("ascii-punct", i, i + 1, f"ASCII {ch!r} next to Chinese: use the full-width mark")

    for match in re.finditer(rf"[{_CJK}{_FULL}] \(", text):
        if _KEY_HINT.match(text, match.end() - 1):
            add("hint-space", match.start(), match.end(), "write 删除(Del): no space before it")
        else:
            add("ascii-punct", match.start(), match.end(), "write 张伟（经发局）: （）")

    for line_start, line in _lines(text) if has_chinese(text) else ():
        quotes = [(m.start(), m.end()) for m in _QUOTED.finditer(line)]
        for token in _TOKEN.finditer(line):
            if _code_like(token.group()) or any(a <= token.start() < b for a, b in quotes):
                continue  # a path, a code, or a value quoted “as typed”
            for word in _WORD.finditer(token.group()):
                w = word.group().strip("'").lower()
                if len(w) < 2 or w in KEY_NAMES or w in TECH_WORDS or w in allowed:
                    continue
                start = line_start + token.start() + word.start()
                add("english", start, start + len(word.group()), f"untranslated {w!r}")

    for match in _COUNTED.finditer(text):
        unit, noun = match.group(1), match.group(2)
        if unit != _MEASURE[noun] and not (noun == "企业" and unit == "次"):
            add("measure-word", match.start(), match.end(), f"{noun} takes {_MEASURE[noun]}")
    for match in _COUNT_AFTER.finditer(text):
        noun, unit = match.group(1), match.group(2)
        if unit != _MEASURE[noun]:
            add("measure-word", match.start(), match.end(), f"{noun} takes {_MEASURE[noun]}")

    for pattern, why in _REJECTED:
        for match in pattern.finditer(text):
            add("rejected", match.start(), match.end(), why)

    if authored:
        for match in _NUMBER_SPACE.finditer(text):
            add("number-space", match.start(), match.end(), "no space between Chinese and a number")
        for match in re.finditer(r"(?<!…)…(?!…)|\.\.\.", text):
            add("ellipsis", match.start(), match.end(), "a sentence's ellipsis is ……")
        for match in re.finditer(r"![rsa](?::[^{}]*)?\}", text):
            add("repr", match.start(), match.end(), "quote a value with “”, not repr")
        for match in re.finditer(r"\{year\}年(?!度|\d)", text):
            add("bare-year", match.start(), match.end(), "a plan year is {year}年度")
    return problems


def _lines(text: str) -> Iterable[tuple[int, str]]:
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def catalog_problems(
    pairs: Iterable[tuple[str, str]], *, allowed: frozenset[str] = frozenset()
) -> list[Problem]:
    """Problems of (msgid, msgstr) pairs of the zh_CN catalog, named by their msgid; plus the
    catalog-only rule that an English question ends as a Chinese one: 确定……吗？"""
    problems: list[Problem] = []
    for msgid, msgstr in pairs:
        if not msgstr:
            continue
        where = f"msgid {msgid!r}"
        problems += text_problems(msgstr, where, allowed=allowed, authored=True)
        asks = msgid.rstrip().endswith("?") or "? " in msgid
        if asks and not ("确定" in msgstr and "吗？" in msgstr):
            problems.append(Problem("question", where, msgstr, "a confirmation reads 确定……吗？"))
    return problems


def assert_zh_style(
    text: str, where: str = "text", *, allowed: frozenset[str] = frozenset()
) -> None:
    """Fail with every problem of ``text`` listed, one per line."""
    problems = text_problems(text, where, allowed=allowed)
    assert not problems, "zh-style.md:\n" + "\n".join(map(str, problems))
