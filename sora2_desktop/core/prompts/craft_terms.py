"""The prompt-craft vocabulary: the built-in, read-only entries of the prompt library, by group.

The terms are English source text marked for lupdate (context "PromptCraft", as they were in the prompt editor,
so existing translations keep working) and translated when the library is read, never stored."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from sora2_desktop.core.prompts.entry import BUILTIN_PREFIX, PromptEntry

CONTEXT = "PromptCraft"

# The vocabulary the service documents (API.md, "Prompt craft") plus a few terms in the same spirit:
# (group code, the group's menu title, its terms). The code is the entries' tag; the title is shown.
# (QT_TRANSLATE_NOOP marks them for lupdate; it is typed as returning object, hence the str() below.)
CRAFT_GROUPS: tuple[tuple[str, object, tuple[object, ...]], ...] = (
    ("camera", QT_TRANSLATE_NOOP("PromptCraft", "&Camera"), (
        QT_TRANSLATE_NOOP("PromptCraft", "slow dolly in"), QT_TRANSLATE_NOOP("PromptCraft", "orbiting shot"),
        QT_TRANSLATE_NOOP("PromptCraft", "aerial view"), QT_TRANSLATE_NOOP("PromptCraft", "handheld"),
        QT_TRANSLATE_NOOP("PromptCraft", "tracking shot"), QT_TRANSLATE_NOOP("PromptCraft", "low angle"),
        QT_TRANSLATE_NOOP("PromptCraft", "extreme close-up"),
    )),
    ("lighting", QT_TRANSLATE_NOOP("PromptCraft", "&Lighting"), (
        QT_TRANSLATE_NOOP("PromptCraft", "golden hour"),
        QT_TRANSLATE_NOOP("PromptCraft", "dramatic lighting"),
        QT_TRANSLATE_NOOP("PromptCraft", "soft diffused light"),
        QT_TRANSLATE_NOOP("PromptCraft", "backlit silhouette"),
        QT_TRANSLATE_NOOP("PromptCraft", "blue hour"), QT_TRANSLATE_NOOP("PromptCraft", "neon glow"),
    )),
    ("mood", QT_TRANSLATE_NOOP("PromptCraft", "&Mood"), (
        QT_TRANSLATE_NOOP("PromptCraft", "warm"), QT_TRANSLATE_NOOP("PromptCraft", "tense"),
        QT_TRANSLATE_NOOP("PromptCraft", "epic"), QT_TRANSLATE_NOOP("PromptCraft", "dreamlike"),
        QT_TRANSLATE_NOOP("PromptCraft", "melancholic"), QT_TRANSLATE_NOOP("PromptCraft", "playful"),
    )),
    ("action", QT_TRANSLATE_NOOP("PromptCraft", "&Action"), (
        QT_TRANSLATE_NOOP("PromptCraft", "slowly turns"), QT_TRANSLATE_NOOP("PromptCraft", "flowing hair"),
        QT_TRANSLATE_NOOP("PromptCraft", "walks toward the camera"),
        QT_TRANSLATE_NOOP("PromptCraft", "leaves drift in the wind"),
    )),
    ("transitions", QT_TRANSLATE_NOOP("PromptCraft", "&Transitions"), (
        QT_TRANSLATE_NOOP("PromptCraft", "zoom from wide to close"),
        QT_TRANSLATE_NOOP("PromptCraft", "descend through clouds"),
        QT_TRANSLATE_NOOP("PromptCraft", "pull back to reveal"),
        QT_TRANSLATE_NOOP("PromptCraft", "rack focus"),
    )),
)  # fmt: skip

GROUP_CODES = tuple(code for code, _title, _terms in CRAFT_GROUPS)


def group_menu_title(code: str) -> str | None:
    """A group's title with its menu mnemonic ("&Camera"), translated; None for a tag that is no group."""
    for group, title, _terms in CRAFT_GROUPS:
        if group == code:
            return QCoreApplication.translate(CONTEXT, str(title))
    return None


def group_title(code: str) -> str | None:
    """A group's title as a word ("Camera"), translated; None for a tag that is no group."""
    title = group_menu_title(code)
    return None if title is None else title.replace("&&", "\0").replace("&", "").replace("\0", "&")


def builtin_entries() -> list[PromptEntry]:
    """Every craft term as a read-only entry in the current language, in menu order. Made at each call (a few
    dozen small objects): a language change shows at once."""
    entries: list[PromptEntry] = []
    for code, _title, terms in CRAFT_GROUPS:
        for term in terms:
            text = QCoreApplication.translate(CONTEXT, str(term))
            entries.append(PromptEntry(id=f"{BUILTIN_PREFIX}{code}:{term}", title=text, text=text, tags=(code,)))
    return entries
