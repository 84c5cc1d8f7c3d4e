"""AppSettings: typed, validated access to the app's preferences, stored as an INI file inside the profile."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

from PySide6.QtCore import QByteArray, QCoreApplication, QObject, QSettings, Signal

from sora2_desktop.core.config.profile import Profile

log = logging.getLogger(__name__)

DEFAULT_API_BASE_URL = "https://api.apixo.ai"
DEFAULT_MODELS_URL = "https://apixo.ai/docs/models/schemas/index.json"
APPEARANCES = ("auto", "dark", "light")  # AppSettings.appearance; ui/common/theme.py makes the look
TAKE_ORDERS = ("take", "rating")  # AppSettings.takes_order: ui/takes/take_filter.py's TakeOrder values

T = TypeVar("T")


def _tr(text: str) -> str:
    return QCoreApplication.translate("AppSettings", text)


def validate_api_base_url(url: str) -> str | None:
    """None when `url` may receive the API key (api.base_url's rule); otherwise the sentence that says why not."""
    # Imported here: the api package (request models, errors) is not needed to paint the window at start-up.
    from sora2_desktop.api.base_url import BaseUrlProblem, base_url_problem

    problem = base_url_problem(url)
    if problem is None:
        return None
    return {
        BaseUrlProblem.EMPTY: lambda: _tr("Enter the API address, for example https://api.apixo.ai."),
        BaseUrlProblem.MALFORMED: lambda: _tr("The API address is not a valid URL."),
        BaseUrlProblem.NOT_WEB: lambda: _tr("The API address must start with https:// and name a host."),
        BaseUrlProblem.CREDENTIALS: lambda: _tr("The API address must not contain a user name or password."),
        BaseUrlProblem.QUERY: lambda: _tr("The API address must not contain a query (?…) or fragment (#…)."),
        BaseUrlProblem.PLAIN_HTTP: lambda: _tr(
            "Use https:// for this address; plain http:// is allowed only for this computer (localhost)."
        ),
    }[problem]()


# Converters turn whatever the INI file holds (typed by Qt, or text someone typed by hand) into the
# property's type, or None when the text makes no sense, in which case the default is used.


def _as_str(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list):  # an unquoted hand-edited value with commas reads back as a list
        return ", ".join(str(part) for part in value)
    return None


def _as_bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "1", "yes", "on"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "0", "no", "off"):
        return False
    return None


def _seconds(minimum: float) -> Callable[[object], float | None]:
    def convert(value: object) -> float | None:
        if isinstance(value, bool):
            return None
        try:
            seconds = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None
        return seconds if math.isfinite(seconds) and seconds >= minimum else None

    return convert


def _as_fraction(value: object) -> float | None:
    """A share from 0.0 to 1.0 (a volume); anything else, NaN included, makes no sense."""
    if isinstance(value, bool):
        return None
    try:
        share = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return share if 0.0 <= share <= 1.0 else None


def _as_text(value: object) -> str | None:
    """Any text, the empty one included (where '' means "off")."""
    return value if isinstance(value, str) else None


def _as_json_object(value: object) -> dict[str, Any] | None:
    """A JSON object kept as text in the INI file; anything else reads as the default."""
    import json  # here and below: settings are read before the window's first paint, which needs no JSON

    if isinstance(value, dict):
        return value
    if not isinstance(value, str):
        return None
    try:
        data = json.loads(value)
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def _json_text(value: dict[str, Any]) -> str:
    import json

    return json.dumps(value)


def _as_bytes(value: object) -> QByteArray | None:
    return value if isinstance(value, QByteArray) else None


def _as_row_id(value: object) -> int | None:
    """A stored row id (0 for none), as an int or its digits (the INI file reads numbers back as text)."""
    if isinstance(value, bool):
        return None
    text = str(value).strip() if isinstance(value, int | str) else ""
    return int(text) if text.isdecimal() else None


class _Setting(Generic[T]):
    """One typed key. Reading falls back to the default when the stored value is missing or makes no sense."""

    def __init__(
        self,
        key: str,
        default: T,
        convert: Callable[[object], T | None],
        encode: Callable[[T], object] | None = None,
    ) -> None:
        self.key = key
        self.default = default
        self.convert = convert
        self.encode = encode  # how a value is written when the INI file cannot hold it as it is
        self.name = key

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, settings: None, owner: type) -> _Setting[T]: ...
    @overload
    def __get__(self, settings: AppSettings, owner: type) -> T: ...
    def __get__(self, settings: AppSettings | None, owner: type) -> _Setting[T] | T:
        if settings is None:
            return self
        raw = settings.qsettings.value(self.key)
        value = self.convert(raw) if raw is not None else None
        return self.default if value is None else value

    def __set__(self, settings: AppSettings, value: T) -> None:
        if self.convert(value) is None:
            raise ValueError(f"invalid value for setting {self.name!r}")
        settings.store(self.name, self.key, value if self.encode is None else self.encode(value))


# INI keys of the properties written by hand below (the _Setting ones carry their own key).
_KEYS = {"api_base_url": "api/base_url", "download_dir": "downloads/dir", "draft": "form/draft"}


class AppSettings(QObject):
    """Preferences over QSettings (INI at `profile.settings_path`, so `--profile` isolates them).

    Secrets are never settings: the API key and the S3 secret key live in the keychain (SecretStore)."""

    changed = Signal(str)  # the property that was written, e.g. "poll_interval_s", so views can rebind

    first_poll_delay_s = _Setting("polling/first_delay_s", 180.0, _seconds(0.0))
    # Intervals of zero would poll in a tight loop; anything positive is the person's (or a test's) choice.
    poll_interval_s = _Setting("polling/interval_s", 10.0, _seconds(0.01))
    # The app cannot receive the webhook, so callback tasks poll like any other; 0 = "same as polling", and only
    # a longer value the person chose spaces them out more (PollTiming.interval).
    callback_poll_interval_s = _Setting("polling/callback_interval_s", 0.0, _seconds(0.0))
    notifications_enabled = _Setting("notifications_enabled", True, _as_bool)
    demo_seen = _Setting("demo_seen", False, _as_bool)
    # Bytes one result file may take; a server that sends more, or never ends, is stopped there (4 GiB).
    download_size_cap_bytes = _Setting(
        "downloads/size_cap_bytes", 4 * 1024**3, lambda v: int(str(v)) if str(v).isdigit() and int(str(v)) > 0 else None
    )
    # "Don't ask again" of the confirmations before money is spent, one per kind (reset() brings them back).
    confirm_rerun = _Setting("confirm/rerun", True, _as_bool)
    confirm_takes = _Setting("confirm/takes", True, _as_bool)

    s3_endpoint = _Setting("s3/endpoint", "", _as_str)
    s3_bucket = _Setting("s3/bucket", "", _as_str)
    s3_region = _Setting("s3/region", "", _as_str)
    s3_access_key_id = _Setting("s3/access_key_id", "", _as_str)
    # Empty: images are shared through a presigned URL instead of a public one.
    s3_public_base_url = _Setting("s3/public_base_url", "", _as_str)
    s3_prefix = _Setting("s3/prefix", "", _as_str)

    window_geometry = _Setting("window/geometry", QByteArray(), _as_bytes)
    window_state = _Setting("window/state", QByteArray(), _as_bytes)
    # The window's splitters as left ({"main": [220, 804], …}), the activity table's columns, and the shot and
    # take on screen at close (0: none), so a restart opens where the person was; the project is ProjectService's.
    splitter_sizes: _Setting[dict[str, Any]] = _Setting("window/splitters", {}, _as_json_object, _json_text)
    activity_columns = _Setting("window/activity_columns", QByteArray(), _as_bytes)
    current_shot_id = _Setting("window/current_shot", 0, _as_row_id)
    current_take_id = _Setting("window/current_take", 0, _as_row_id)
    # The page a start paints before the keychain answers (ui/window/main_window.FirstPage): "welcome" when the
    # last start found no key, "work" once a key was used; "" (not known yet) paints a blank page meanwhile.
    first_page = _Setting("window/first_page", "", lambda v: v if v in ("", "welcome", "work") else None)

    def __init__(self, profile: Profile, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._profile = profile
        self.qsettings = QSettings(str(profile.settings_path), QSettings.Format.IniFormat)

    @property
    def file_path(self) -> str:
        return self.qsettings.fileName()

    def store(self, name: str, key: str, value: Any) -> None:
        self.qsettings.setValue(key, value)
        self.changed.emit(name)

    def sync(self) -> None:
        """Flush to disk now (QSettings also flushes on its own, and when destroyed)."""
        self.qsettings.sync()

    def reset(self, name: str) -> None:
        """Forget the stored value of property `name` so its default applies again."""
        descriptor = type(self).__dict__.get(name)
        key = descriptor.key if isinstance(descriptor, _Setting) else _KEYS.get(name)
        if key is None:
            raise KeyError(name)
        self.qsettings.remove(key)
        self.changed.emit(name)

    @property
    def api_base_url(self) -> str:
        raw = _as_str(self.qsettings.value(_KEYS["api_base_url"])) or ""
        if not raw.strip():
            return DEFAULT_API_BASE_URL
        if validate_api_base_url(raw) is not None:
            # A hand-edited file could point the key at a plain-http host; never follow it. The value itself
            # is not logged: it is the user's text and could hold anything.
            log.warning("stored API base URL is not allowed; using the default")
            return DEFAULT_API_BASE_URL
        return raw.strip().rstrip("/")

    @api_base_url.setter
    def api_base_url(self, url: str) -> None:
        problem = validate_api_base_url(url)
        if problem is not None:
            raise ValueError(problem)
        self.store("api_base_url", _KEYS["api_base_url"], url.strip().rstrip("/"))

    @property
    def download_dir(self) -> str:
        stored = _as_str(self.qsettings.value(_KEYS["download_dir"])) or ""
        return stored.strip() or str(self._profile.downloads_dir)

    @download_dir.setter
    def download_dir(self, path: str) -> None:
        # Empty means "the profile's folder"; storing nothing keeps following the profile if it moves.
        if path.strip():
            self.store("download_dir", _KEYS["download_dir"], path.strip())
        else:
            self.reset("download_dir")

    @property
    def draft(self) -> dict[str, Any]:
        """The form as the person left it (prompt and every control); {} when there is none."""
        import json

        text = _as_str(self.qsettings.value(_KEYS["draft"]))
        if not text:
            return {}
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            return {}
        return data if isinstance(data, dict) else {}

    @draft.setter
    def draft(self, data: dict[str, Any]) -> None:
        import json

        self.store("draft", _KEYS["draft"], json.dumps(data, ensure_ascii=False))

    # Where the model catalogue is refreshed from ('' turns the refresh off; `--models-url` overrides it for a
    # run), when it last was (Unix seconds: at most once a day), and the person's own prices per model
    # ({"sora-2": {"per": "generation", "usd": 0.15}}: prices are in no answer of the service).
    models_url = _Setting("models/url", DEFAULT_MODELS_URL, _as_text)
    models_refreshed_at = _Setting("models/refreshed_at", 0.0, _seconds(0.0))
    model_prices: _Setting[dict[str, Any]] = _Setting("models/prices", {}, _as_json_object, _json_text)

    # The window's look: "auto" follows the OS where it says light (dark otherwise), or "dark" / "light".
    appearance = _Setting("appearance", "auto", lambda v: v if v in APPEARANCES else None)

    # The video player's loudness (0.0-1.0, as its slider shows it) and mute, as a person left them.
    player_volume = _Setting("player/volume", 0.8, _as_fraction)
    player_muted = _Setting("player/muted", False, _as_bool)

    # The take strip's "keepers only" filter and its order, as the person left them.
    takes_keepers_only = _Setting("takes/keepers_only", False, _as_bool)
    takes_order = _Setting("takes/order", "take", lambda v: v if v in TAKE_ORDERS else None)

    # The export of selects as the person last set it: formats (comma list of export_result.EXPORT_FORMATS),
    # which marks (a preset of ui/export/export_options.py), link instead of copy, and the folder per project id.
    export_formats = _Setting("export/formats", "fcpxml,xml,edl,csv,json", _as_text)
    export_marks = _Setting("export/marks", "circled", _as_text)
    export_link = _Setting("export/link", False, _as_bool)
    export_folders: _Setting[dict[str, Any]] = _Setting("export/folders", {}, _as_json_object, _json_text)
