"""ShotComposer: the compose form bound to the shot on screen — its settings loaded on selection, the draft saved
back as the person types (debounced), and the shot a Generate goes into."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, QTimer

from sora2_desktop.core.projects import source_frame
from sora2_desktop.core.projects.model import Project, Shot
from sora2_desktop.core.projects.project_service import ProjectService
from sora2_desktop.ui.compose.form_draft import from_draft, to_draft
from sora2_desktop.ui.compose.generation_form import GenerationForm
from sora2_desktop.ui.results.frame_wording import lineage_text

# Long enough that a typed word is one write, short enough that a quit right after typing loses nothing
# (closing flushes anyway).
SAVE_DELAY_MS = 400


class ShotComposer(QObject):
    def __init__(
        self,
        projects: ProjectService,
        form: GenerationForm,
        current_project: Callable[[], Project | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._projects = projects
        self._form = form
        self._current_project = current_project  # where a first shot is made when there is none
        self._shot: Shot | None = None
        self._loading = False
        self._timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._timer.timeout.connect(self._save)
        form.draft_changed.connect(self._on_draft_changed)

    def shot(self) -> Shot | None:
        return self._shot

    def show_shot(self, shot: Shot | None) -> None:
        """Put `shot`'s settings in the form (what waits to be saved for the shot before goes first). A shot
        with no settings yet keeps the form's model and settings, with an empty prompt and no images."""
        self.save_now()
        self._shot = shot
        if shot is None:
            self._form.image_picker.set_lineage("")
            return
        values = from_draft(shot.settings) if shot.settings else replace(self._form.values(), prompt="", images=())
        self._loading = True
        try:
            self._form.set_values(values)
        finally:
            self._loading = False
        self._show_lineage()

    def shot_id_for_generate(self) -> int | None:
        """The shot the takes go into. With none on screen (an empty project), the form becomes its first shot,
        so nothing typed is generated outside a shot."""
        if self._shot is None:
            project = self._current_project()
            if project is None:
                return None
            self._shot = self._projects.add_shot(project.id, to_draft(self._form.values()))
            return self._shot.id
        self.save_now()  # the prompt as sent is the shot's prompt
        return self._shot.id

    def save_now(self) -> None:
        """Write a pending edit at once (another shot is chosen, the window closes, Generate)."""
        if self._timer.isActive():
            self._timer.stop()
            self._save()

    def _save(self) -> None:
        if self._shot is not None:
            self._shot = self._projects.save_shot_settings(self._shot.id, self._draft())

    def _draft(self) -> dict[str, Any]:
        """The form's draft, with the lineage of its start image while that image is still listed (replacing or
        removing the image drops it: the takes would not come from that frame)."""
        draft = to_draft(self._form.values())
        lineage = self._shot.settings.get(source_frame.DRAFT_KEY) if self._shot is not None else None
        if lineage is not None and source_frame.kept_in_draft(lineage, draft):
            draft[source_frame.DRAFT_KEY] = lineage
        return draft

    def _show_lineage(self) -> None:
        found = source_frame.from_draft(self._draft()) if self._shot is not None else None
        self._form.image_picker.set_lineage(lineage_text(found[0]) if found is not None else "")

    def _on_draft_changed(self) -> None:
        if not self._loading and self._shot is not None:
            self._show_lineage()
            self._timer.start()
