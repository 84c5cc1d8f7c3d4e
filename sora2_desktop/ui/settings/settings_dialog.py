"""SettingsDialog: every preference in one dialog; checks every field and saves only when all are right."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sora2_desktop.api import ApiKey
from sora2_desktop.api.secret import KeyProblem, api_key_problem
from sora2_desktop.core.catalogue.catalogue_service import CatalogueService, RefreshReport
from sora2_desktop.core.catalogue.refresh import models_url_problem
from sora2_desktop.core.config.secrets import S3_SECRET_KEY_NAME, SecretStore
from sora2_desktop.core.config.settings import AppSettings, validate_api_base_url
from sora2_desktop.core.tasks.poll_timing import PollTiming
from sora2_desktop.ui.settings.prices_page import PricesPage
from sora2_desktop.ui.settings.settings_pages import (
    AccountPage,
    AppearancePage,
    DownloadsPage,
    ImageHostPage,
    NotificationsPage,
    PollingPage,
    ValidatedField,
)

TAB_KEYS = ("account", "downloads", "polling", "image_host", "notifications", "appearance", "prices")
_S3_STRINGS = ("s3_endpoint", "s3_bucket", "s3_region", "s3_access_key_id", "s3_public_base_url", "s3_prefix")


class SettingsDialog(QDialog):
    """Shows the settings and secrets as they are; on OK saves what changed, and emits `api_key_changed`."""

    api_key_changed = Signal(object)  # the new ApiKey, or None when the key was removed

    def __init__(
        self,
        settings: AppSettings,
        secrets: SecretStore,
        parent: QWidget | None = None,
        initial_tab: str | None = None,
        models: CatalogueService | None = None,  # the Prices page is shown when given
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._secrets = secrets
        self._models = models  # also for "Check now" of the models index
        self._check_job: asyncio.Future[RefreshReport] | None = None
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(600)

        self.account_page = AccountPage()
        self.downloads_page = DownloadsPage()
        self.polling_page = PollingPage()
        self.image_host_page = ImageHostPage()
        self.notifications_page = NotificationsPage()
        self.appearance_page = AppearancePage()
        self.tabs = QTabWidget()
        for page, title in (
            (self.account_page, self.tr("Account")),
            (self.downloads_page, self.tr("Downloads")),
            (self.polling_page, self.tr("Polling")),
            (self.image_host_page, self.tr("Image host")),
            (self.notifications_page, self.tr("Notifications")),
            (self.appearance_page, self.tr("Appearance")),
        ):
            self.tabs.addTab(_scrolling(page), title)
        self.prices_page = PricesPage(models) if models is not None else None
        if self.prices_page is not None:
            self.tabs.addTab(_scrolling(self.prices_page), self.tr("Prices"))
        self.button_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.button_box.accepted.connect(self.accept)
        self.button_box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.button_box)

        a, d, i = self.account_page, self.downloads_page, self.image_host_page
        self._fields: dict[str, tuple[str, ValidatedField]] = {
            "api_key": ("account", a.api_key_field),
            "api_base_url": ("account", a.base_url_field),
            "models_url": ("account", a.models_url_field),
            "download_dir": ("downloads", d.download_dir_field),
            "s3_endpoint": ("image_host", i.endpoint_field),
            "s3_bucket": ("image_host", i.bucket_field),
            "s3_region": ("image_host", i.region_field),
            "s3_access_key_id": ("image_host", i.access_key_id_field),
            "s3_secret_access_key": ("image_host", i.secret_key_field),
            "s3_public_base_url": ("image_host", i.public_base_url_field),
            "s3_prefix": ("image_host", i.prefix_field),
        }
        if self.prices_page is not None:
            self._fields.update({name: ("prices", field) for name, field in self.prices_page.fields().items()})
        self._s3_edits = i.edits
        self._load()
        self._connect()
        self.select_tab(initial_tab or "account")
        self._fit_to_pages()
        if self.current_tab() == "account" and not a.api_key_edit.text() and not a.api_key_edit.isReadOnly():
            a.api_key_edit.setFocus()

    # -- public ----------------------------------------------------------------------------------------------

    def select_tab(self, key: str) -> None:
        if key in TAB_KEYS:
            self.tabs.setCurrentIndex(TAB_KEYS.index(key))

    def current_tab(self) -> str:
        return TAB_KEYS[self.tabs.currentIndex()]

    def field(self, name: str) -> ValidatedField:
        return self._fields[name][1]

    def validate(self) -> list[tuple[str, str]]:
        """(field name, message) for each field that cannot be saved as it is, in tab order; [] if none."""
        a, d = self.account_page, self.downloads_page
        problems: list[tuple[str, str | None]] = []
        if not self._secrets.api_key_from_environment:
            problems.append(("api_key", self._key_problem_text(api_key_problem(a.api_key_edit.text()))))
        base_url = a.base_url_edit.text().strip()
        problems.append(("api_base_url", validate_api_base_url(base_url) if base_url else None))
        problems.append(("models_url", self._models_url_problem(a.models_url_edit.text().strip())))
        problems.append(("download_dir", self._download_dir_problem(d.download_dir_edit.text())))
        problems.extend(self.image_host_page.problems())
        problems.extend(self.prices_page.problems() if self.prices_page is not None else [])
        return [(name, message) for name, message in problems if message]

    def accept(self) -> None:
        problems = self.validate()
        for name, (_, field) in self._fields.items():
            field.set_error(next((message for bad, message in problems if bad == name), None))
        if problems:
            tab, field = self._fields[problems[0][0]]
            self.select_tab(tab)
            field.editor.setFocus()
            return
        key_changed, new_key = self._save()
        super().accept()
        if key_changed:
            self.api_key_changed.emit(new_key)

    # -- loading and saving ----------------------------------------------------------------------------------

    def _load(self) -> None:
        s, a, i = self._settings, self.account_page, self.image_host_page
        if self._secrets.api_key_from_environment:
            a.api_key_edit.setReadOnly(True)
            a.api_key_edit.setPlaceholderText(self.tr("Set by the APIXO_API_KEY environment variable"))
            a.show_key_action.setEnabled(False)
            self._original_key = ""
        else:
            stored = self._secrets.load_api_key()
            self._original_key = stored.reveal() if stored else ""
            a.api_key_edit.setText(self._original_key)
        a.base_url_edit.setText(s.api_base_url)
        a.models_url_edit.setText(s.models_url)
        a.check_models_button.setVisible(self._models is not None)
        self.downloads_page.download_dir_edit.setText(s.download_dir)
        p = self.polling_page
        self._original_polling = (
            _seconds_for_box(s.first_poll_delay_s, p.first_delay_box.minimum()),
            _seconds_for_box(s.poll_interval_s, p.interval_box.minimum()),
            _seconds_for_box(s.callback_poll_interval_s, p.callback_interval_box.minimum()),
        )
        for box, value in zip(self._polling_boxes(), self._original_polling, strict=True):
            box.setValue(value)
        for name in _S3_STRINGS:
            self._s3_edits[name].setText(getattr(s, name))
        self._original_s3_secret = self._secrets.load_secret(S3_SECRET_KEY_NAME) or ""
        i.secret_key_edit.setText(self._original_s3_secret)
        if not self._secrets.persistent:
            i.secret_storage_label.setText(
                self.tr("No system keychain was found, so the secret is kept for this session only.")
            )
        self.notifications_page.notifications_check.setChecked(s.notifications_enabled)
        self.appearance_page.set_appearance(s.appearance)
        self._update_key_state()
        if self._secrets.api_key_refused:
            # The stored or environment key is not used (SecretStore.load_api_key): say so where a new one goes.
            if self._secrets.api_key_from_environment:
                sentence = self.tr("The key in APIXO_API_KEY contains a line break, a control character or a space.")
            else:
                sentence = self.tr("The saved key contains a line break, a control character or a space: enter it.")
            self.account_page.api_key_field.set_error(sentence)

    def _save(self) -> tuple[bool, ApiKey | None]:
        s, a = self._settings, self.account_page
        base_url = a.base_url_edit.text().strip()
        if not base_url:
            s.reset("api_base_url")
        elif base_url.rstrip("/") != s.api_base_url:
            s.api_base_url = base_url
        models_url = a.models_url_edit.text().strip()
        if models_url != s.models_url:
            s.models_url = models_url
        download_dir = str(Path(self.downloads_page.download_dir_edit.text().strip()).expanduser())
        if download_dir != s.download_dir:
            s.download_dir = download_dir
        # Only values the person changed are written: a stored 0.5 s (tests, hand edits) survives an OK.
        names = ("first_poll_delay_s", "poll_interval_s", "callback_poll_interval_s")
        for name, box, original in zip(names, self._polling_boxes(), self._original_polling, strict=True):
            if box.value() != original:
                setattr(s, name, float(box.value()))
        for name in _S3_STRINGS:
            value = self._s3_edits[name].text().strip()
            value = value.lstrip("/") if name == "s3_prefix" else value
            if value != getattr(s, name):
                setattr(s, name, value)
        checked = self.notifications_page.notifications_check.isChecked()
        if checked != s.notifications_enabled:
            s.notifications_enabled = checked
        if self.appearance_page.appearance() != s.appearance:
            s.appearance = self.appearance_page.appearance()  # ui/common/theme.py follows the setting
        if self.prices_page is not None:
            self.prices_page.save()
        s.sync()

        secret = self.image_host_page.secret_key_edit.text().strip()
        if secret != self._original_s3_secret:
            if secret:
                self._secrets.save_secret(S3_SECRET_KEY_NAME, secret)
            else:
                self._secrets.delete_secret(S3_SECRET_KEY_NAME)
        if self._secrets.api_key_from_environment:
            return False, None
        key_text = a.api_key_edit.text().strip()
        if key_text == self._original_key:
            return False, None
        if not key_text:
            self._secrets.delete_api_key()
            return True, None
        key = ApiKey(key_text)
        self._secrets.save_api_key(key)
        return True, key

    # -- behaviour -------------------------------------------------------------------------------------------

    def _connect(self) -> None:
        a = self.account_page
        a.remove_key_button.clicked.connect(self._remove_key)
        a.check_models_button.clicked.connect(self._check_models)
        a.api_key_edit.textChanged.connect(self._update_key_state)
        self.downloads_page.browse_button.clicked.connect(self._browse_download_dir)
        self.polling_page.restore_defaults_button.clicked.connect(self._restore_polling_defaults)
        # An edited field loses its error at once: the red frame means "still wrong", not "was wrong".
        for _, field in self._fields.values():
            editor = field.editor
            if isinstance(editor, QLineEdit):
                editor.textChanged.connect(lambda _text, f=field: f.set_error(None))

    def _models_url_problem(self, text: str) -> str | None:
        if not text or models_url_problem(text) is None:
            return None
        return self.tr("Use an http:// or https:// address, or leave it empty to turn the model refresh off.")

    def _check_models(self) -> None:
        """Read the model list from the address in the field now (saved or not) and say what it found."""
        a = self.account_page
        url = a.models_url_edit.text().strip()
        problem = self._models_url_problem(url) if url else self.tr("Enter the address of the models index.")
        a.models_url_field.set_error(problem)
        if problem or self._models is None:
            return
        a.check_models_button.setEnabled(False)
        a.models_status_label.setText(self.tr("Checking…"))
        self._check_job = asyncio.ensure_future(self._models.refresh_now(url))
        self._check_job.add_done_callback(self._show_models_check)

    def _show_models_check(self, job: asyncio.Future[RefreshReport]) -> None:
        if job.cancelled() or not shiboken6.isValid(self):
            return  # the dialog closed meanwhile; a change still reaches the window by its news
        report = job.result()
        a = self.account_page
        a.check_models_button.setEnabled(True)
        if report.problem:
            a.models_status_label.setText(report.problem)
        elif report.changes:
            a.models_status_label.setText("\n".join(report.changes))
        else:
            a.models_status_label.setText(self.tr("Checked: the models are as the app already knew them."))

    def _remove_key(self) -> None:
        self.account_page.api_key_edit.clear()
        self.account_page.api_key_edit.setFocus()

    def _update_key_state(self) -> None:
        a = self.account_page
        from_env = self._secrets.api_key_from_environment
        text = a.api_key_edit.text().strip()
        a.remove_key_button.setEnabled(bool(text) and not from_env)
        if from_env:
            sentence = self._secrets.explain() + " " + self.tr("Unset it to use a key saved here instead.")
        elif self._original_key and not text:
            sentence = self.tr("The saved key will be removed when you press OK.")
        elif self._secrets.persistent:
            sentence = self.tr("Stored in the system keychain.")
        else:
            sentence = self._secrets.explain()
        a.key_storage_label.setText(sentence)

    def _browse_download_dir(self) -> None:
        edit = self.downloads_page.download_dir_edit
        start = edit.text().strip() or str(Path.home())
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Choose the download folder"), start)
        if chosen:
            edit.setText(chosen)

    def _restore_polling_defaults(self) -> None:
        defaults = PollTiming()
        values = (defaults.first_delay_s, defaults.interval_s, defaults.callback_interval_s)
        for box, value in zip(self._polling_boxes(), values, strict=True):
            box.setValue(round(value))

    def _fit_to_pages(self) -> None:
        # Scroll areas hint small; open at the size that shows the tallest page whole when the screen allows.
        pages = (self.account_page, self.downloads_page, self.polling_page, self.image_host_page)
        tallest = max(page.sizeHint().height() for page in pages)
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        limit = screen.height() - 80 if screen is not None else tallest + 120
        self.resize(max(640, self.sizeHint().width()), min(tallest + 120, limit))

    def _polling_boxes(self) -> tuple[QSpinBox, QSpinBox, QSpinBox]:
        p = self.polling_page
        return (p.first_delay_box, p.interval_box, p.callback_interval_box)

    # -- checks ----------------------------------------------------------------------------------------------

    def _key_problem_text(self, problem: KeyProblem | None) -> str | None:
        if problem == "control":
            return self.tr("This key contains a line break, tab or other control character; paste only the key.")
        if problem == "space":
            return self.tr("An API key has no spaces; paste only the key.")
        return None

    def _download_dir_problem(self, text: str) -> str | None:
        text = text.strip()
        if not text:
            return self.tr("Choose the folder where finished videos are saved.")
        path = Path(text).expanduser()
        if not path.is_absolute():
            return self.tr("Enter the full path of a folder, or choose one with Browse….")
        existing = path
        while not existing.exists() and existing.parent != existing:
            existing = existing.parent
        if existing == path:
            if not path.is_dir():
                return self.tr("This is a file, not a folder.")
            if not os.access(path, os.W_OK | os.X_OK):
                return self.tr("This folder cannot be written to; choose another one.")
        elif not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
            return self.tr("This folder does not exist and cannot be created there.")
        return None


def _scrolling(page: QWidget) -> QScrollArea:
    """The page in a frameless scroll area, so error lines push fields down instead of squeezing them."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(page)
    area.viewport().setAutoFillBackground(False)
    page.setAutoFillBackground(False)
    return area


def _seconds_for_box(seconds: float, minimum: int) -> int:
    return max(minimum, round(seconds))
