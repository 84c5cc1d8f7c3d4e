"""Generate all, planned: which shots of a project have a draft ready to submit (as the composer would send it),
with their takes and estimate; which are skipped and why; and the words of the question that shows it whole."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from sora2_desktop.api.request import GenerationRequest, image_count_errors
from sora2_desktop.core.account.estimate import Estimate
from sora2_desktop.core.catalogue.catalogue import ModelCatalogue
from sora2_desktop.core.images.source import ImageSource
from sora2_desktop.core.projects.model import Shot
from sora2_desktop.ui.common.money_text import usd, usd_estimate
from sora2_desktop.ui.compose.delivery_rows import MAX_TAKES
from sora2_desktop.ui.compose.form_draft import fit_values, from_draft

_translate = QCoreApplication.translate
_SKIPPED_SHOWN = 6  # more go to the question's details


@dataclass(frozen=True)
class ShotJob:
    """One shot's submit: what its Generate button would send."""

    shot: Shot
    request: GenerationRequest
    images: tuple[ImageSource, ...]
    takes: int
    estimate: Estimate
    has_takes: bool  # the shot has takes already: left out unless the person includes such shots


@dataclass(frozen=True)
class SkippedShot:
    shot: Shot
    reason: str  # why its draft cannot be sent as it is, for a person


@dataclass(frozen=True)
class GeneratePlan:
    jobs: tuple[ShotJob, ...]
    skipped: tuple[SkippedShot, ...]
    balance_usd: float | None

    def chosen(self, with_takes: bool) -> list[ShotJob]:
        return [job for job in self.jobs if with_takes or not job.has_takes]

    @property
    def with_takes_count(self) -> int:
        return sum(1 for job in self.jobs if job.has_takes)


def plan_generate_all(
    shots: Sequence[Shot],
    catalogue: ModelCatalogue,
    take_count: Callable[[int], int],
    estimate: Callable[[GenerationRequest, int], Estimate],
    balance_usd: float | None,
) -> GeneratePlan:
    """Each shot's draft read as the composer reads it (`from_draft`, fitted to today's catalogue) and judged by
    its model's rules without the network; a draft the catalogue moved (a duration no longer offered) is skipped
    with the note the composer would show, so nothing is sent that the person has not seen."""
    jobs: list[ShotJob] = []
    skipped: list[SkippedShot] = []
    for shot in shots:
        values, notes = fit_values(from_draft(shot.settings), catalogue)
        spec = catalogue.spec_for(values.model)
        request = values.request(spec)
        images = tuple(values.chosen_images())
        if not values.prompt.strip():
            skipped.append(SkippedShot(shot, _translate("GenerateAll", "no prompt")))
            continue
        # A value the draft holds that the catalogue moved; a key the draft never held just takes the default.
        moved = [note for key, note in notes.items() if key in shot.settings]
        if moved:
            skipped.append(SkippedShot(shot, " ".join(moved)))
            continue
        errors = request.validate(spec, images=False) + image_count_errors(spec, request.mode, len(images))
        if errors:
            skipped.append(SkippedShot(shot, " ".join(error.message for error in errors)))
            continue
        takes = max(1, min(MAX_TAKES, values.takes))
        jobs.append(ShotJob(shot, request, images, takes, estimate(request, takes), take_count(shot.id) > 0))
    return GeneratePlan(tuple(jobs), tuple(skipped), balance_usd)


def question_words(plan: GeneratePlan, with_takes: bool, titles: Callable[[str], str]) -> tuple[str, str, str]:
    """(question, details, the full list of skipped shots) for the chosen shots: a line per model, the total and
    the balance it leaves, the shots skipped and why."""
    jobs = plan.chosen(with_takes)
    takes = sum(job.takes for job in jobs)
    total = sum(job.estimate.total_usd for job in jobs)
    question = _translate("GenerateAll", "Submit {takes} take(s) of {shots} shot(s), estimated at {cost}?").format(
        takes=takes, shots=len(jobs), cost=usd_estimate(total)
    )
    lines = []
    for model in dict.fromkeys(job.request.model for job in jobs):
        mine = [job for job in jobs if job.request.model == model]
        lines.append(
            _translate("GenerateAll", "{model}: {shots} shot(s), {takes} take(s), {cost}").format(
                model=titles(model),
                shots=len(mine),
                takes=sum(job.takes for job in mine),
                cost=usd_estimate(sum(job.estimate.total_usd for job in mine)),
            )
        )
    lines.append(_balance_line(total, plan.balance_usd))
    if not with_takes and plan.with_takes_count:
        lines.append(
            _translate("GenerateAll", "Left out: {0} shot(s) that already have takes.").format(plan.with_takes_count)
        )
    skipped = [f"{item.shot.code}: {item.reason}" for item in plan.skipped]
    if skipped:
        shown = skipped[:_SKIPPED_SHOWN]
        if len(skipped) > _SKIPPED_SHOWN:
            shown.append(
                _translate("GenerateAll", "… and {0} more (Show Details).").format(len(skipped) - _SKIPPED_SHOWN)
            )
        lines.append(_translate("GenerateAll", "Skipped:") + "\n" + "\n".join(f"• {line}" for line in shown))
    return question, "\n".join(lines), "\n".join(skipped)


def _balance_line(total: float, balance: float | None) -> str:
    if balance is None:
        return _translate("GenerateAll", "Total {0}; the key's balance is unknown.").format(usd_estimate(total))
    if total > balance + 1e-9:
        return _translate("GenerateAll", "Total {0}: more than the key's balance of {1}.").format(
            usd_estimate(total), usd(balance)
        )
    return _translate("GenerateAll", "Total {0}; leaves {1} of the key's {2}.").format(
        usd_estimate(total), usd_estimate(balance - total), usd(balance)
    )
