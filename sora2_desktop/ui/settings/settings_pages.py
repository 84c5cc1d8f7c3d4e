"""Settings dialog pages: each lays out its fields, with room for an error under each, and checks them."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sora2_desktop.core.config.settings import DEFAULT_API_BASE_URL
from sora2_desktop.core.images.host_addresses import public_base_url_problem, storage_endpoint_problem
from sora2_desktop.ui.common.palette import error_color, muted_palette
from sora2_desktop.ui.common.theme import appearance_names

# S3 bucket naming (AWS, R2, MinIO, B2), loosened to accept the upper case and underscores of older buckets.
_BUCKET_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,61}[A-Za-z0-9]$")
_REGION_PATTERN = re.compile(r"^[A-Za-z0-9-]+$")


def has_inner_space(text: str) -> bool:
    return any(character.isspace() for character in text.strip())


class ValidatedField(QWidget):
    """An editor (or a row holding one) with a message line under it; `set_error` frames the editor in red."""

    def __init__(self, editor: QWidget, row: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(row if row is not None else editor)
        layout.addWidget(self.error_label)

    @property
    def error(self) -> str | None:
        return self.error_label.text() if not self.error_label.isHidden() else None

    def set_error(self, message: str | None) -> None:
        red = error_color(self.palette()).name()
        if message:
            self.error_label.setText(message)
            self.error_label.setStyleSheet(f"color: {red};")
            self.error_label.show()
            # A style sheet frame replaces the platform's; it is only there while the field is wrong.
            kind = type(self.editor).__name__
            frame = f"border: 1px solid {red}; border-radius: 3px; padding: 2px"
            self.editor.setStyleSheet(f"{kind} {{ {frame} }}")
            self.editor.setAccessibleDescription(message)
        else:
            self.error_label.clear()
            self.error_label.hide()
            self.editor.setStyleSheet("")
            self.editor.setAccessibleDescription("")


def _note(text: str) -> QLabel:
    """A wrapped explanatory sentence in the platform's muted text colour."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setPalette(muted_palette(label))
    return label


def _form(page: QWidget, intro: QLabel | None = None) -> QFormLayout:
    outer = QVBoxLayout(page)
    outer.setContentsMargins(16, 16, 16, 16)
    outer.setSpacing(12)
    if intro is not None:
        outer.addWidget(intro)
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    form.setVerticalSpacing(10)
    outer.addLayout(form)
    outer.addStretch(1)
    return form


def _secret_field(page: QWidget) -> tuple[QLineEdit, QAction, QWidget]:
    """A password line edit with a Show/Hide toggle action beside it (text, so it needs no icon theme)."""
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setClearButtonEnabled(False)
    toggle = QAction(page.tr("Show"), page)
    toggle.setCheckable(True)
    toggle.setToolTip(page.tr("Show or hide what is typed"))

    def apply(shown: bool) -> None:
        edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        toggle.setText(page.tr("Hide") if shown else page.tr("Show"))

    toggle.toggled.connect(apply)
    button = QToolButton()
    button.setDefaultAction(toggle)
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    layout.addWidget(button)
    return edit, toggle, row


def _seconds_box(minimum: int, maximum: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(minimum, maximum)
    box.setSuffix(" s")
    box.setAccelerated(True)
    box.setMinimumWidth(110)
    box.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return box


class AccountPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = _form(self)
        self.api_key_edit, self.show_key_action, key_row = _secret_field(self)
        self.api_key_edit.setPlaceholderText(self.tr("Paste your APIXO API key"))
        self.api_key_field = ValidatedField(self.api_key_edit, key_row)
        self.key_storage_label = _note("")
        self.remove_key_button = QPushButton(self.tr("Remove key"))
        self.remove_key_button.setToolTip(self.tr("Forget the saved key when you press OK"))
        remove_row = QHBoxLayout()
        remove_row.addWidget(self.key_storage_label, 1)
        remove_row.addWidget(self.remove_key_button, 0, Qt.AlignmentFlag.AlignTop)
        self.base_url_edit = QLineEdit()
        self.base_url_edit.setPlaceholderText(DEFAULT_API_BASE_URL)
        self.base_url_field = ValidatedField(self.base_url_edit)
        form.addRow(self.tr("API key:"), self.api_key_field)
        form.addRow("", remove_row)
        form.addRow(self.tr("API address:"), self.base_url_field)
        form.addRow(
            "",
            _note(self.tr("Leave the default unless APIXO told you otherwise. It must use https://.")),
        )
        # Where the app reads what each model takes (durations, providers, limits), once a day in the background.
        self.models_url_edit = QLineEdit()
        self.models_url_edit.setPlaceholderText(self.tr("Empty: never refresh the model list"))
        self.check_models_button = QPushButton(self.tr("Check now"))
        self.check_models_button.setToolTip(self.tr("Read the model list from this address now"))
        models_row = QWidget()
        models_layout = QHBoxLayout(models_row)
        models_layout.setContentsMargins(0, 0, 0, 0)
        models_layout.addWidget(self.models_url_edit, 1)
        models_layout.addWidget(self.check_models_button)
        self.models_url_field = ValidatedField(self.models_url_edit, models_row)
        self.models_status_label = _note(
            self.tr("The app reads what each model takes from this index once a day; the API key is never sent.")
        )
        form.addRow(self.tr("Models index URL:"), self.models_url_field)
        form.addRow("", self.models_status_label)


class DownloadsPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = _form(self)
        self.download_dir_edit = QLineEdit()
        self.browse_button = QPushButton(self.tr("Browse…"))
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(self.download_dir_edit, 1)
        row_layout.addWidget(self.browse_button)
        self.download_dir_field = ValidatedField(self.download_dir_edit, row)
        form.addRow(self.tr("Download folder:"), self.download_dir_field)
        form.addRow(
            "",
            _note(
                self.tr(
                    "Finished videos are saved here as soon as they are ready: the service keeps its links "
                    "for 15 days only."
                )
            ),
        )


class PollingPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        intro = _note(
            self.tr(
                "The service advises asking about a task for the first time about 180 seconds after "
                "submitting it, then every 10 seconds; a 15-second video waits one minute longer before its "
                "first query. In callback mode the service sends the result to your own server, not to this "
                "app, so the app asks on the same schedule unless you set a longer interval for those tasks."
            )
        )
        form = _form(self, intro)
        self.first_delay_box = _seconds_box(0, 3600)
        self.interval_box = _seconds_box(1, 3600)
        self.callback_interval_box = _seconds_box(0, 3600)
        self.callback_interval_box.setSpecialValueText(self.tr("Same as above"))  # 0: callback tasks poll as any
        # The boxes' ranges are the rules, so these fields can never be wrong and need no error line.
        form.addRow(self.tr("First query after:"), self.first_delay_box)
        form.addRow(self.tr("Then ask every:"), self.interval_box)
        form.addRow(self.tr("Callback tasks every:"), self.callback_interval_box)
        self.restore_defaults_button = QPushButton(self.tr("Restore recommended values"))
        self.restore_defaults_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        form.addRow("", self.restore_defaults_button)


class ImageHostPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        intro = _note(
            self.tr(
                "The service can only fetch reference images from a public web address. To use images from "
                "your computer, the app uploads them to S3-compatible storage first: AWS S3, Cloudflare R2, "
                "MinIO or Backblaze B2 all work. Leave everything empty if you only use image URLs."
            )
        )
        form = _form(self, intro)
        self.endpoint_edit = QLineEdit()
        self.endpoint_edit.setPlaceholderText(self.tr("https://s3.us-east-1.amazonaws.com"))
        self.bucket_edit = QLineEdit()
        self.region_edit = QLineEdit()
        self.region_edit.setPlaceholderText(self.tr("optional, e.g. us-east-1 (R2: auto)"))
        self.access_key_id_edit = QLineEdit()
        self.secret_key_edit, self.show_secret_action, secret_row = _secret_field(self)
        self.public_base_url_edit = QLineEdit()
        self.public_base_url_edit.setPlaceholderText(self.tr("optional, e.g. https://images.example.com/"))
        self.prefix_edit = QLineEdit()
        self.prefix_edit.setPlaceholderText(self.tr("optional, e.g. sora2-desktop/"))
        self.endpoint_field = ValidatedField(self.endpoint_edit)
        self.bucket_field = ValidatedField(self.bucket_edit)
        self.region_field = ValidatedField(self.region_edit)
        self.access_key_id_field = ValidatedField(self.access_key_id_edit)
        self.secret_key_field = ValidatedField(self.secret_key_edit, secret_row)
        self.public_base_url_field = ValidatedField(self.public_base_url_edit)
        self.prefix_field = ValidatedField(self.prefix_edit)
        form.addRow(self.tr("Endpoint URL:"), self.endpoint_field)
        form.addRow(self.tr("Bucket:"), self.bucket_field)
        form.addRow(self.tr("Region:"), self.region_field)
        form.addRow(self.tr("Access key ID:"), self.access_key_id_field)
        form.addRow(self.tr("Secret access key:"), self.secret_key_field)
        self.secret_storage_label = _note(self.tr("Kept in the system keychain, never in the settings file."))
        form.addRow("", self.secret_storage_label)
        form.addRow(self.tr("Public base URL:"), self.public_base_url_field)
        form.addRow("", _note(self.tr("Leave empty to use 7-day signed links.")))
        form.addRow(self.tr("Prefix:"), self.prefix_field)
        self.edits: dict[str, QLineEdit] = {
            "s3_endpoint": self.endpoint_edit,
            "s3_bucket": self.bucket_edit,
            "s3_region": self.region_edit,
            "s3_access_key_id": self.access_key_id_edit,
            "s3_secret_access_key": self.secret_key_edit,
            "s3_public_base_url": self.public_base_url_edit,
            "s3_prefix": self.prefix_edit,
        }

    def problems(self) -> list[tuple[str, str]]:
        """(field name, message) for each field that cannot be saved as it is, in the order on screen."""
        text = {name: edit.text().strip() for name, edit in self.edits.items()}
        problems: list[tuple[str, str | None]] = []
        if any(text.values()):
            missing = self.tr("Needed to upload images: fill this in, or empty every image host field.")
            for name in ("s3_endpoint", "s3_bucket", "s3_access_key_id", "s3_secret_access_key"):
                if not text[name]:
                    problems.append((name, missing))
        if text["s3_endpoint"]:
            problems.append(("s3_endpoint", storage_endpoint_problem(text["s3_endpoint"])))
        if text["s3_bucket"] and not _BUCKET_PATTERN.match(text["s3_bucket"]):
            problems.append(("s3_bucket", self.tr("Use 3 to 63 letters, digits, dots or hyphens.")))
        if text["s3_region"] and not _REGION_PATTERN.match(text["s3_region"]):
            problems.append(("s3_region", self.tr("A region is a name like us-east-1 or auto.")))
        if has_inner_space(text["s3_access_key_id"]):
            problems.append(("s3_access_key_id", self.tr("An access key ID has no spaces.")))
        if has_inner_space(text["s3_secret_access_key"]):
            problems.append(("s3_secret_access_key", self.tr("A secret key has no spaces.")))
        if text["s3_public_base_url"]:
            problems.append(("s3_public_base_url", public_base_url_problem(text["s3_public_base_url"])))
        prefix = text["s3_prefix"]
        if "\\" in prefix:
            problems.append(("s3_prefix", self.tr("Separate folders with forward slashes (/).")))
        elif ".." in prefix.split("/"):
            problems.append(("s3_prefix", self.tr("The prefix cannot contain a “..” folder.")))
        order = list(self.edits)
        found = [(name, message) for name, message in problems if message]
        return sorted(found, key=lambda problem: order.index(problem[0]))


class NotificationsPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = _form(self)
        self.notifications_check = QCheckBox(
            self.tr("Show a desktop notification when a video is ready or a task fails")
        )
        form.addRow(self.notifications_check)


class AppearancePage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = _form(self)
        self.appearance_combo = QComboBox()
        for code, words in appearance_names().items():
            self.appearance_combo.addItem(words, code)
        form.addRow(self.tr("Appearance:"), self.appearance_combo)
        form.addRow("", _note(self.tr("Dark keeps the eye on the picture. The change applies when you press OK.")))

    def appearance(self) -> str:
        return str(self.appearance_combo.currentData())

    def set_appearance(self, code: str) -> None:
        self.appearance_combo.setCurrentIndex(max(0, self.appearance_combo.findData(code)))
