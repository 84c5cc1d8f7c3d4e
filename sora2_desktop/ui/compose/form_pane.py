"""FormPane: the compose form as the window shows it — the fields in a scroll area, the Generate row under it.

The form is taller than its pane at 1024×700; scrolled as a whole, it took Generate (and its cost and any
general error) out of view. Here only the fields scroll."""

from __future__ import annotations

from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from sora2_desktop.ui.compose.generation_form import GenerationForm


class FormPane(QWidget):
    def __init__(self, form: GenerationForm, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(form)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.scroll_area, 1)
        form.place_footer(layout)
        # The row lines up with the fields above it: the form's own side margins, and room above and below.
        fields = form.layout()
        margins = fields.contentsMargins() if fields is not None else self.contentsMargins()
        form.footer.setContentsMargins(margins.left(), 6, margins.right(), margins.bottom())
