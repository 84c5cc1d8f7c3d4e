"""ProjectDialog: a project's name, the folder its videos go to and the template their file names follow."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from sora2_desktop.core.projects.model import DEFAULT_NAME_TEMPLATE, Project

# What a template may name; the example shows the fourth take of the first shot of a 16:9 video.
_EXAMPLE = {"shot": "SH010", "take": "T04", "ratio": "16x9"}


def template_example(template: str, project: str) -> str | None:
    """The file name `template` gives the example take, or None when it names something unknown or is broken."""
    try:
        name = template.format(project=project or "Project", **_EXAMPLE)
    except (KeyError, IndexError, ValueError):
        return None
    return f"{name}.mp4" if name.strip() else None


class ProjectDialog(QDialog):
    """Edits a copy of `project`; `result_project()` holds what the person chose once accepted. A new project
    (`project` None) asks for its name first."""

    def __init__(self, project: Project | None, default_folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self.setWindowTitle(self.tr("New project") if project is None else self.tr("Project settings"))
        self.name_edit = QLineEdit(project.name if project else "")
        self.name_edit.setPlaceholderText(self.tr("Trailer"))
        self.folder_edit = QLineEdit((project.folder or "") if project else "")
        self.folder_edit.setPlaceholderText(default_folder)
        self.folder_edit.setToolTip(self.tr("Empty: the download folder from Settings"))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)
        self.template_edit = QLineEdit(project.name_template if project else DEFAULT_NAME_TEMPLATE)
        self.template_edit.setToolTip(self.tr("{project}, {shot}, {take} and {ratio} are replaced for each video"))
        self.example = QLabel()
        self.example.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("&Name"), self.name_edit)
        form.addRow(self.tr("&Folder"), folder_row)
        form.addRow(self.tr("File &names"), self.template_edit)
        form.addRow("", self.example)
        form.addRow(self.buttons)
        self.name_edit.textChanged.connect(self._check)
        self.template_edit.textChanged.connect(self._check)
        self._check()
        self.resize(max(self.sizeHint().width(), 460), self.sizeHint().height())

    def values(self) -> tuple[str, str | None, str]:
        """(name, folder or None for the default one, template) as typed, trimmed."""
        folder = self.folder_edit.text().strip()
        return self.name_edit.text().strip(), folder or None, self.template_edit.text().strip()

    def _check(self) -> None:
        name, _folder, template = self.values()
        example = template_example(template, name)
        if example is None:
            # replace(), not format(): the sentence itself shows the braces of the names it lists.
            words = self.tr("Use {project}, {shot}, {take} and {ratio}, as in %1")
            self.example.setText(words.replace("%1", DEFAULT_NAME_TEMPLATE))
        else:
            self.example.setText(self.tr("For example: %1").replace("%1", example))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(name) and example is not None)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self,
            self.tr("Folder for this project's videos"),
            self.folder_edit.text() or self.folder_edit.placeholderText(),
        )
        if chosen:
            self.folder_edit.setText(chosen)
