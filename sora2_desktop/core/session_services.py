"""The session's services that nothing needs before the window is up — frames out of the player, contact sheets,
exports — each made, and its modules imported, the first time it is asked for (issue 13: a start imports them no
more before the shot list and the composer are on screen). Session inherits them; the rest of Session is its own."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

    from sora2_desktop.core.config.profile import Profile
    from sora2_desktop.core.export.export_service import ExportService
    from sora2_desktop.core.images.resolver import ImageResolver
    from sora2_desktop.core.media.frame_service import FrameService
    from sora2_desktop.core.projects.project_service import ProjectService
    from sora2_desktop.core.sheets.sheet_service import ContactSheetService
    from sora2_desktop.core.tasks.task import Task


class LaterServices:
    """For Session (a QObject, the services' parent), which provides what they are made from."""

    profile: Profile
    projects: ProjectService
    demo: bool
    local_video: Callable[[Task], Path | None]
    _image_resolver: Callable[[], ImageResolver]

    @cached_property
    def frames(self) -> FrameService:
        """Frames out of a take: saved, copied, or a shot's start image (in demo mode, under the demo's folder)."""
        from sora2_desktop.core.media.frame_service import FrameService

        root = self.profile.root
        return FrameService(lambda: root / ("demo" if self.demo else ""), self._image_resolver, self._parent())

    @cached_property
    def sheets(self) -> ContactSheetService:
        """Contact sheets (PDF, PNG)."""
        from sora2_desktop.core.sheets.sheet_service import ContactSheetService

        return ContactSheetService(self.projects, self.local_video, self._parent())

    @cached_property
    def exports(self) -> ExportService:
        """Selects, timelines and sheets out of a project."""
        from sora2_desktop.core.export.export_service import ExportService

        return ExportService(self.projects, self.local_video, self.sheets, self._parent())

    def _parent(self) -> QObject:
        return cast("QObject", self)  # the session: they go with it
