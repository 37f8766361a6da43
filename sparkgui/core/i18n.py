"""One translation mechanism for the core and the UI.

Texts are kept as `Text` values (an English template and its parameters) and rendered at the edge
(JSON report, terminal, window, PDF) in the reader's language. The core stays Qt-free and a result
computed once can be shown in English and in French.
"""

from __future__ import annotations

import json
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from sparkgui.core.plain_text import plain_text

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Text:
    """A translatable sentence: an English template with `{named}` placeholders."""

    template: str
    params: Mapping[str, str | int | float | Text] = field(default_factory=dict)
    plural: str = ""  # the plural template (`trn`), chosen by the language's rule for params["count"]

    def render(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The sentence in `lang`, its parameters rendered in `lang` too."""
        if not self.plural:
            return render(self.template, self.params, lang)
        many = is_plural(self.params.get("count", 0), lang)
        english = self.plural if is_plural(self.params.get("count", 0), DEFAULT_LANGUAGE) else self.template
        forms = catalog(lang).get(self.template) if lang != DEFAULT_LANGUAGE else None
        if isinstance(forms, list) and len(forms) == 2:  # [singular, plural], keyed by the English singular
            return _fill(str(forms[1] if many else forms[0]), english, self.params, lang)
        return _fill(english, english, self.params, lang)

    def with_params(self, **params: str | int | float | Text) -> Text:
        """The same template with (more) parameters: for templates kept in tables and filled in later."""
        return Text(self.template, {**self.params, **params}, self.plural)

    def __str__(self) -> str:
        return self.render()


class Explained(Exception):
    """An error for people: `text` says what is wrong and what to do, in the reader's language.

    `str()` is the English sentence, for logs; a window or a terminal renders `text` in its own language.
    """

    def __init__(self, text: Text) -> None:
        super().__init__(text.render())
        self.text = text

    def render(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The message in `lang`."""
        return self.text.render(lang)


def joined(texts: Sequence[Text], separator: str = "; ") -> Text:
    """Several texts shown as one, each still rendered in the reader's language."""
    params: dict[str, str | int | float | Text] = {f"part{index}": text for index, text in enumerate(texts)}
    return Text(separator.join("{" + name + "}" for name in params), params)


def reason_of(error: BaseException) -> Text:
    """What went wrong: translatable when the error was written for people (Explained), else as Python says it."""
    return error.text if isinstance(error, Explained) else Text(str(error) or type(error).__name__)


def tr(template: str, **params: str | int | float | Text) -> Text:
    """Mark a sentence for translation. Scanned by tests: keep the template a literal string."""
    return Text(template, params)


@dataclass(frozen=True)
class Number(Text):
    """A number written the reader's way: "5.6" in English, "5,6" in French."""

    value: float = 0.0
    digits: int = 1

    def render(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The number with `digits` decimals and the language's decimal mark."""
        text = f"{self.value:.{self.digits}f}"
        return text.replace(".", ",") if lang == "fr" else text


def number(value: float, digits: int = 1) -> Number:
    """A number for a sentence's parameter, rendered with the reader's decimal mark."""
    return Number("", {}, "", float(value), digits)


def amount(value: float) -> Number:
    """A measured amount as people write it, with the reader's decimal mark.

    Whole when it is whole (2 s), else one decimal (121.8 ms), two below one (0.25 s).
    """
    if abs(value - round(value)) < 1e-9 or abs(value) >= 1000:
        return number(value, 0)
    tenths = abs(value * 10 - round(value * 10)) < 1e-9  # 0.4, not 0.40
    return number(value, 1 if abs(value) >= 1 or tenths else 2)


def minutes_number(minutes: float) -> Number:
    """A number of minutes as people write it: "5", or "0.5" ("0,5" in French) when not whole."""
    whole = abs(minutes - round(minutes)) < 1e-9
    return number(minutes, 0 if whole else 2 if abs(minutes * 10 - round(minutes * 10)) > 1e-9 else 1)


def trn(one: str, other: str, count: int, **params: str | int | float | Text) -> Text:
    """A sentence with a singular and a plural form, picked by `count` in the reader's language.

    Both forms are translated on their own (the catalogues key each by its English form). Scanned by tests: keep
    both templates literal strings.
    """
    return Text(one, {"count": count, **params}, other)


def is_plural(count: object, lang: str) -> bool:
    """Whether `count` takes the plural form: English says "0 warnings", French "0 avertissement"."""
    if not isinstance(count, int | float) or isinstance(count, bool):
        return True
    if lang == "fr":
        return abs(count) >= 2
    return count != 1


def render(template: str, params: Mapping[str, Any], lang: str = DEFAULT_LANGUAGE) -> str:
    """Translate `template` into `lang` and fill it in; a missing or broken translation falls back to English."""
    found = catalog(lang).get(template, template) if lang != DEFAULT_LANGUAGE else template
    translated = found if isinstance(found, str) else template
    if not params:  # verbatim text (an error message, a summary read from a report): braces are not placeholders
        return plain_text(translated)
    return _fill(translated, template, params, lang)


def _fill(translated: str, english: str, params: Mapping[str, Any], lang: str) -> str:
    values = {key: _render_param(value, lang) for key, value in params.items()}
    try:
        return translated.format_map(values)
    except (KeyError, IndexError, ValueError):
        # A broken translation must never hide the message: fall back to English.
        return english.format_map(values)


def _render_param(value: Any, lang: str) -> Any:
    """A parameter as the reader sees it.

    Strings often come from the network (a certificate's issuer, a proxy's header, a page title): terminal
    escapes and direction marks in them never reach a screen.
    """
    if isinstance(value, float):  # a measure passed as it is: the reader's decimal mark, no false precision
        return amount(value).render(lang)
    if isinstance(value, str):
        return plain_text(value)
    return value.render(lang) if isinstance(value, Text) else value


def placeholders(template: str) -> set[str]:
    """The placeholder names of a template, for the catalog completeness test."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@cache
def catalog(lang: str) -> Mapping[str, str | list[str]]:
    """The translations for `lang`, keyed by the English template.

    A sentence with plural forms (`trn`) is keyed by its English singular and holds [singular, plural], as a
    gettext catalogue's msgid and msgstr[0], msgstr[1] do.

    Each area keeps its own file (resources/i18n/<lang>/<area>.json: core, ui, pdf…), merged here, so that
    parts of the product grow their texts without stepping on each other.
    """
    if lang == DEFAULT_LANGUAGE:
        return {}
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    folder = resources.files("sparkgui_resources").joinpath("i18n", lang)
    merged: dict[str, str | list[str]] = {}
    for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if item.name.endswith(".json"):
            merged.update(json.loads(item.read_text(encoding="utf-8")))
    return merged


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """The user's language if we have it (French or English), from the usual locale variables."""
    import locale
    import os

    env = os.environ if environ is None else environ
    # As gettext reads them: the locale (LC_ALL, else LC_MESSAGES, else LANG) says C, and English it is;
    # otherwise LANGUAGE's list comes first, the first language we have in it winning; then the locale.
    locale_name = next((env[var] for var in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(var)), "")
    if locale_name.split(".")[0] in ("C", "POSIX"):
        return DEFAULT_LANGUAGE
    for wanted in env.get("LANGUAGE", "").split(":"):
        if wanted.lower().startswith(LANGUAGES):
            return _supported(wanted)
    if locale_name:
        return _supported(locale_name)
    if environ is None:
        code = locale.getlocale()[0] or ""
        if code:
            return _supported(code)
    return DEFAULT_LANGUAGE


def _supported(code: str) -> str:
    code = code.split(":")[0].lower()
    return next((lang for lang in LANGUAGES if code.startswith(lang)), DEFAULT_LANGUAGE)
