"""TaskDetail: everything about the selected task in words — prompt, settings, state, why it failed, its videos."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from sora2_desktop.core.tasks.failure_text import explain_failure
from sora2_desktop.core.tasks.task import Task, TaskPhase


class TaskDetail(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
        self._label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self._label)
        layout.addStretch(1)
        self.setWidget(body)
        self.show_task(None)

    def text(self) -> str:
        return self._label.text()

    def show_task(self, task: Task | None) -> None:
        if task is None:
            self._label.setText(
                "<p style='color:palette(mid)'>"
                + escape(self.tr("Select a task to see its details. Finished videos play here."))
                + "</p>"
            )
            return
        req = task.request
        rows = [
            (self.tr("State"), _phase_words(self, task)),
            (self.tr("Task id"), task.task_id or self.tr("not assigned yet")),
            (self.tr("Mode"), f"{req.mode} · {req.duration} s · {req.aspect_ratio}"),
            (
                self.tr("Provider"),
                f"{req.provider}" + (self.tr(" · watermark removed") if req.remove_watermark else ""),
            ),
        ]
        if req.image_urls:
            rows.append((self.tr("Images"), "<br>".join(escape(u) for u in req.image_urls)))
        if task.cost_time_ms:
            rows.append((self.tr("Generation time"), f"{task.cost_time_ms / 1000:.0f} s"))
        parts = ["<table cellspacing='4'>"]
        for name, value in rows:
            shown = value if name == self.tr("Images") else escape(value)
            parts.append(f"<tr><td><b>{escape(name)}</b></td><td>{shown}</td></tr>")
        parts.append("</table>")
        if task.phase in (TaskPhase.FAILED, TaskPhase.REJECTED, TaskPhase.SUBMIT_UNKNOWN):
            why = explain_failure(task)
            parts.append(f"<p><b>{escape(why.summary)}</b><br>{escape(why.detail)}</p>")
        elif task.error_message:
            parts.append(f"<p><i>{escape(task.error_message)}</i></p>")
        for url in task.result_urls:
            parts.append(f"<p>{escape(self.tr('Video'))}: {escape(url)}</p>")
        parts.append(f"<p><b>{escape(self.tr('Prompt'))}</b><br>{escape(req.prompt)}</p>")
        self._label.setText("".join(parts))


def _phase_words(widget: QWidget, task: Task) -> str:
    words = {
        TaskPhase.QUEUED: widget.tr("Queued"),
        TaskPhase.SUBMITTING: widget.tr("Submitting"),
        TaskPhase.SUBMIT_UNKNOWN: widget.tr("Answer lost"),
        TaskPhase.REJECTED: widget.tr("Rejected"),
        TaskPhase.PENDING: widget.tr("Pending"),
        TaskPhase.PROCESSING: widget.tr("Processing"),
        TaskPhase.SUCCESS: widget.tr("Done"),
        TaskPhase.FAILED: widget.tr("Failed"),
        TaskPhase.UNKNOWN: widget.tr("Unknown state “{0}”").format(task.raw_state or ""),
    }
    return words[task.phase]
