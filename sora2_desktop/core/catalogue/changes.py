"""describe_changes: what a catalogue refresh changed, one short line per model, in words for a person.

Made when shown (never stored), so it speaks the person's language: QCoreApplication.translate with the context
"CatalogueChanges", as core/tasks/failure_text.py does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QCoreApplication

from sora2_desktop.api.model_spec import ModelSpec
from sora2_desktop.core.catalogue.catalogue import ModelCatalogue

# lupdate finds strings by the name `translate(context, text)`; the alias keeps call sites short.
_translate = QCoreApplication.translate


def describe_changes(old: ModelCatalogue, new: ModelCatalogue) -> list[str]:
    """ "Sora 2 now offers 4, 8 and 12 s; takes only the official provider; takes exactly one image", one line
    per model that changed in a way a person would notice; [] when none did."""
    lines: list[str] = []
    for spec in new:
        before = old.get(spec.id)
        if before is None:
            lines.append(_translate("CatalogueChanges", "{model} is now offered").format(model=spec.title))
            continue
        parts = _model_changes(before, spec)
        if parts:
            lines.append(
                _translate("CatalogueChanges", "{model} now {changes}").format(
                    model=spec.title, changes=_translate("CatalogueChanges", "; ").join(parts)
                )
            )
    for spec in old:
        if spec.id not in new:
            lines.append(_translate("CatalogueChanges", "{model} is no longer offered").format(model=spec.title))
    return lines


def summary(lines: Sequence[str]) -> str:
    """All of a refresh's lines as the one line the window shows once."""
    return _translate("CatalogueChanges", " · ").join(lines)


def _model_changes(old: ModelSpec, new: ModelSpec) -> list[str]:
    parts: list[str] = []
    if set(new.durations) != set(old.durations):
        parts.append(
            _translate("CatalogueChanges", "offers {durations} s").format(durations=_and(str(d) for d in new.durations))
        )
    if set(new.modes) != set(old.modes):
        parts.append(
            _translate("CatalogueChanges", "offers {modes}").format(modes=_and(_mode_words(m) for m in new.modes))
        )
    for param in dict.fromkeys(choice.param for choice in new.frame.values()):
        new_options = {o for c in new.frame.values() if c.param == param for o in c.options}
        old_options = {o for c in old.frame.values() if c.param == param for o in c.options}
        if new_options != old_options:
            options = next(c.options for c in new.frame.values() if c.param == param)
            parts.append(
                _translate("CatalogueChanges", "offers {what} {options}").format(
                    what=_param_words(param), options=_and(options)
                )
            )
    if set(new.providers) != set(old.providers):
        if len(new.providers) == 1:
            parts.append(
                _translate("CatalogueChanges", "takes only the {provider} provider").format(provider=new.providers[0])
            )
        else:
            parts.append(
                _translate("CatalogueChanges", "takes the {providers} providers").format(providers=_and(new.providers))
            )
    if (new.images_min, new.images_max) != (old.images_min, old.images_max):
        parts.append(_images_words(new.images_min, new.images_max))
    if new.prompt_max_chars != old.prompt_max_chars:
        parts.append(
            _translate("CatalogueChanges", "takes prompts of up to {count} characters").format(
                count=new.prompt_max_chars
            )
        )
    if new.watermark_offered != old.watermark_offered:
        parts.append(
            _translate("CatalogueChanges", "offers watermark removal")
            if new.watermark_offered
            else _translate("CatalogueChanges", "has no watermark option")
        )
    return parts


def _images_words(low: int, high: int | None) -> str:
    if high == low == 1:
        return _translate("CatalogueChanges", "takes exactly one image")
    if high == low:
        return _translate("CatalogueChanges", "takes exactly {count} images").format(count=low)
    if high is None:
        return (
            _translate("CatalogueChanges", "takes one or more images")
            if low == 1
            else _translate("CatalogueChanges", "takes {count} or more images").format(count=low)
        )
    return _translate("CatalogueChanges", "takes {low} to {high} images").format(low=low, high=high)


def _mode_words(mode: str) -> str:
    return {
        "text-to-video": _translate("CatalogueChanges", "text to video"),
        "image-to-video": _translate("CatalogueChanges", "image to video"),
    }.get(mode, mode)


def _param_words(param: str) -> str:
    return {
        "aspect_ratio": _translate("CatalogueChanges", "aspect ratios"),
        "size": _translate("CatalogueChanges", "sizes"),
        "resolution": _translate("CatalogueChanges", "resolutions"),
    }.get(param, param)


def _and(items: Iterable[str]) -> str:
    """ "4, 8 and 12"."""
    words = list(items)
    if len(words) <= 1:
        return "".join(words)
    return _translate("CatalogueChanges", "{first} and {last}").format(
        first=_translate("CatalogueChanges", ", ").join(words[:-1]), last=words[-1]
    )
