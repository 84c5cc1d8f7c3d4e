"""Timeline wording: the sentences an export shows about its timelines (which sequence format, conform hazards)."""

from __future__ import annotations

from collections.abc import Collection
from fractions import Fraction

from PySide6.QtCore import QCoreApplication

from sora2_desktop.core.timelines.timeline_plan import ClipPlacement, SequenceFormat, TimelinePlan

# lupdate finds strings by the name `translate(context, text)`; the alias keeps call sites short.
_translate = QCoreApplication.translate


def fps_text(rate: Fraction) -> str:
    """A frame rate as editors say it: "24", "29.97", "23.976"."""
    if rate.denominator == 1:
        return str(rate.numerator)
    return f"{float(rate):.3f}".rstrip("0").rstrip(".")


def format_text(width: int, height: int, rate: Fraction) -> str:
    return _translate("Timeline", "{0}×{1} at {2} fps").format(width, height, fps_text(rate))


def sequence_text(sequence: SequenceFormat) -> str:
    """Which size and rate the sequence uses and why, in one line."""
    shape = format_text(sequence.width, sequence.height, sequence.frame_rate)
    if sequence.takes_alike == sequence.takes:
        if sequence.takes == 1:
            return _translate("Timeline", "{0}, the format of the only take").format(shape)
        return _translate("Timeline", "{0}, the format of every take").format(shape)
    if sequence.tie:
        return _translate(
            "Timeline", "{0}, the format of {1} of {2} takes (another format is as common; this one comes first)"
        ).format(shape, sequence.takes_alike, sequence.takes)
    return _translate("Timeline", "{0}, the format of {1} of {2} takes").format(
        shape, sequence.takes_alike, sequence.takes
    )


def timeline_warnings(plan: TimelinePlan, formats: Collection[str]) -> list[str]:
    """Conform hazards: takes whose timecodes the EDL had to convert, takes of another size than the sequence."""
    warnings: list[str] = []
    seq = plan.sequence
    if "edl" in formats:
        for placement in plan.placements:
            if placement.converted:
                warnings.append(_converted_text(placement, seq.frame_rate))
    other_size = [p for p in plan.placements if (p.clip.media.width, p.clip.media.height) != (seq.width, seq.height)]
    if other_size:
        takes = ", ".join(_take_text(p) for p in other_size)
        warnings.append(
            _translate(
                "Timeline", "Another size than the {0}×{1} sequence, fitted into its frame by the editor: {2}."
            ).format(seq.width, seq.height, takes)
        )
    return warnings


def _converted_text(placement: ClipPlacement, seq_rate: Fraction) -> str:
    return _translate(
        "Timeline",
        "{0} ({1}) runs at {2} fps, the EDL at {3} fps: its source timecodes were converted to {3} fps, "
        "so relink it by its reel {4} and check its frames.",
    ).format(
        _take_text(placement), placement.clip.path.name, fps_text(placement.rate), fps_text(seq_rate), placement.reel
    )


def _take_text(placement: ClipPlacement) -> str:
    clip = placement.clip
    return _translate("Timeline", "{0} take {1}").format(clip.shot_code, clip.take_number)
