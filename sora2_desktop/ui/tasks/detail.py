"""TaskDetail: everything about the selected task in words — prompt, settings, state, why it failed, its videos."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from sora2_desktop.core.tasks.fail_code_text import has_images
from sora2_desktop.core.tasks.fail_codes import FailPart, classify
from sora2_desktop.core.tasks.failure_text import explain_failure, task_note_text
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.common.palette import muted_text_color
from sora2_desktop.ui.common.time_text import format_elapsed
from sora2_desktop.ui.results.frame_wording import lineage_text
from sora2_desktop.ui.tasks import task_wording as wording

_translate = QCoreApplication.translate


class TaskDetail(QScrollArea):
    """The words, and the ways out of a wait: Cancel for an unfinished task, Retry now for a not-sent one."""

    cancel_requested = Signal(int)  # local id
    retry_requested = Signal(int)  # local id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._local_id: int | None = None
        self._task: Task | None = None
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget()
        layout = QVBoxLayout(body)
        self._label = QLabel()
        self._label.setObjectName("taskDetailText")
        self._label.setWordWrap(True)
        self._label.setTextFormat(Qt.TextFormat.RichText)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self._label.setOpenExternalLinks(False)
        self._label.linkActivated.connect(self._on_link)
        self._label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self._label)
        layout.addStretch(1)
        self.setWidget(body)
        self.show_task(None)

    def text(self) -> str:
        return self._label.text()

    def _on_link(self, link: str) -> None:
        if self._local_id is None:
            return
        if link == "action:cancel":
            self.cancel_requested.emit(self._local_id)
        elif link == "action:retry":
            self.retry_requested.emit(self._local_id)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # a theme switch: the words' colours are in the markup
            self.show_task(self._task)

    def show_task(self, task: Task | None) -> None:
        self._task = task
        self._local_id = task.local_id if task is not None else None
        if task is None:
            color = muted_text_color(self.palette()).name()
            hint = self.tr("Select a task to see its details. Finished videos play here.")
            self._label.setText(f"<p style='color:{color}'>{escape(hint)}</p>")
            return
        req = task.request
        rows = [
            (self.tr("State"), escape(wording.state_text(task))),
            (self.tr("Task id"), escape(task.task_id or self.tr("not assigned yet"))),
            (self.tr("Settings"), escape(wording.settings_text(req, short=False))),
            (self.tr("Provider"), escape(wording.provider_text(req))),
        ]
        if req.image_urls:
            rows.append((self.tr("Images"), "<br>".join(escape(u) for u in req.image_urls)))
        if task.source_frame is not None:
            rows.append((self.tr("Start frame"), escape(lineage_text(task.source_frame))))
        if (part := _failed_part(task)) is not None:
            rows.append((self.tr("What failed"), escape(part)))
        if task.cost_time_ms:
            rows.append((self.tr("Generation time"), escape(format_elapsed(task.cost_time_ms / 1000))))
        parts = ["<table cellspacing='4'>"]
        parts += [f"<tr><td><b>{escape(name)}</b></td><td>{shown}</td></tr>" for name, shown in rows]
        parts.append("</table>")
        if task.phase in wording.TROUBLE_PHASES:
            why = explain_failure(task)
            # The detail often opens with the summary's own words (the service's message): say them once.
            detail = why.detail.removeprefix(why.summary).lstrip() if why.summary else why.detail
            parts.append(f"<p><b>{escape(why.summary)}</b><br>{escape(detail)}</p>")
        elif note := task_note_text(task):
            parts.append(f"<p><i>{escape(note)}</i></p>")
        links = []
        if wording.waits_for_network(task):
            links.append(f"<a href='action:retry'>{escape(self.tr('Retry now'))}</a>")
        if not task.phase.is_final:
            links.append(f"<a href='action:cancel'>{escape(self.tr('Cancel this task'))}</a>")
        if links:
            parts.append("<p>" + " · ".join(links) + "</p>")
        for url in task.result_urls:
            parts.append(f"<p>{escape(self.tr('Video'))}: {escape(url)}</p>")
        parts.append(f"<p><b>{escape(self.tr('Prompt'))}</b><br>{escape(req.prompt)}</p>")
        self._label.setText("".join(parts))


def _failed_part(task: Task) -> str | None:
    """The part of a failed task the service blamed, in a word or two; None when it used no code this app knows."""
    cause = classify(task.fail_code, has_images=has_images(task)) if task.phase == TaskPhase.FAILED else None
    if cause is None:
        return None
    words = {
        FailPart.PROMPT: _translate("TaskDetail", "the prompt"),
        FailPart.INPUT_IMAGE: _translate("TaskDetail", "the reference image"),
        FailPart.PROMPT_OR_IMAGE: _translate("TaskDetail", "the prompt or the reference image"),
        FailPart.OUTPUT: _translate("TaskDetail", "the result (after it was made)"),
        FailPart.ACCOUNT: _translate("TaskDetail", "the account"),
        FailPart.SERVICE: _translate("TaskDetail", "the service"),
    }
    return words[cause.part]
