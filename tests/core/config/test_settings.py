"""AppSettings: defaults, round-trips through the INI file, hand-edited nonsense, and the API base URL rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray

from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.settings import DEFAULT_API_BASE_URL, AppSettings, validate_api_base_url


@pytest.fixture
def profile(tmp_path: Path) -> Profile:
    return Profile.from_dir(tmp_path / "profile").ensure()


def reopen(settings: AppSettings, profile: Profile) -> AppSettings:
    """A fresh AppSettings over the same file, as the next start of the app would see it."""
    settings.sync()
    return AppSettings(profile)


def test_defaults(profile: Profile) -> None:
    settings = AppSettings(profile)
    assert settings.api_base_url == DEFAULT_API_BASE_URL == "https://api.apixo.ai"
    assert settings.download_dir == str(profile.downloads_dir)
    assert settings.first_poll_delay_s == 180
    assert settings.poll_interval_s == 10
    assert settings.callback_poll_interval_s == 0  # callback tasks poll like any other unless set longer
    assert settings.notifications_enabled is True
    assert settings.demo_seen is False
    for name in ("s3_endpoint", "s3_bucket", "s3_region", "s3_access_key_id", "s3_public_base_url", "s3_prefix"):
        assert getattr(settings, name) == ""
    assert settings.draft == {}
    assert settings.window_geometry.isEmpty() and settings.window_state.isEmpty()


def test_the_ini_file_lives_in_the_profile(profile: Profile) -> None:
    settings = AppSettings(profile)
    settings.demo_seen = True
    settings.sync()
    assert Path(settings.file_path) == profile.settings_path
    assert profile.settings_path.is_file()
    assert "demo_seen=true" in profile.settings_path.read_text(encoding="utf-8")


def test_every_setting_round_trips_through_the_file(profile: Profile) -> None:
    settings = AppSettings(profile)
    geometry = QByteArray(b"\x00\x01\xffgeometry\n")
    settings.api_base_url = "http://127.0.0.1:8765/"
    settings.download_dir = "/videos/sora"
    settings.first_poll_delay_s = 240
    settings.poll_interval_s = 0.5
    settings.callback_poll_interval_s = 90
    settings.notifications_enabled = False
    settings.demo_seen = True
    settings.s3_endpoint = "https://s3.eu-central-1.amazonaws.com"
    settings.s3_bucket = "my-bucket"
    settings.s3_region = "eu-central-1"
    settings.s3_access_key_id = "AKIAEXAMPLE"
    settings.s3_public_base_url = "https://images.example.com/"
    settings.s3_prefix = "sora/"
    settings.window_geometry = geometry
    settings.window_state = QByteArray(b"state")

    again = reopen(settings, profile)
    assert again.api_base_url == "http://127.0.0.1:8765"  # the trailing slash is dropped once, here
    assert again.download_dir == "/videos/sora"
    assert (again.first_poll_delay_s, again.poll_interval_s, again.callback_poll_interval_s) == (240, 0.5, 90)
    assert again.notifications_enabled is False
    assert again.demo_seen is True
    assert again.s3_endpoint == "https://s3.eu-central-1.amazonaws.com"
    assert (again.s3_bucket, again.s3_region, again.s3_access_key_id) == ("my-bucket", "eu-central-1", "AKIAEXAMPLE")
    assert (again.s3_public_base_url, again.s3_prefix) == ("https://images.example.com/", "sora/")
    assert again.window_geometry == geometry
    assert again.window_state == QByteArray(b"state")


def test_the_draft_round_trips_with_any_text(profile: Profile) -> None:
    draft = {
        "prompt": 'Ein "Drache", 龍, دراغون — slow dolly in,\nthen [zoom]; 100% = {epic} 🐉\\',
        "mode": "image-to-video",
        "duration": 15,
        "images": ["https://example.com/a,b.png", "/home/me/Bilder/été.webp"],
        "remove_watermark": False,
        "takes": 3,
        "callback_url": None,
    }
    settings = AppSettings(profile)
    settings.draft = draft
    assert reopen(settings, profile).draft == draft


def test_profiles_are_isolated(tmp_path: Path) -> None:
    first = AppSettings(Profile.from_dir(tmp_path / "a"))
    first.poll_interval_s = 3
    first.sync()
    assert AppSettings(Profile.from_dir(tmp_path / "b")).poll_interval_s == 10


def test_hand_edited_nonsense_falls_back_to_defaults(profile: Profile) -> None:
    profile.settings_path.write_text(
        "[General]\nnotifications_enabled=perhaps\n"
        "[polling]\nfirst_delay_s=soon\ninterval_s=-4\ncallback_interval_s=-1\n"
        "[api]\nbase_url=http://api.example.com\n"
        "[form]\ndraft=[not a dict\n",
        encoding="utf-8",
    )
    settings = AppSettings(profile)
    assert settings.notifications_enabled is True
    assert (settings.first_poll_delay_s, settings.poll_interval_s, settings.callback_poll_interval_s) == (180, 10, 0)
    # A plain-http remote host would carry the key in clear text: never followed, whatever the file says.
    assert settings.api_base_url == DEFAULT_API_BASE_URL
    assert settings.draft == {}


def test_hand_edited_text_forms_are_understood(profile: Profile) -> None:
    profile.settings_path.write_text(
        "[General]\nnotifications_enabled=no\ndemo_seen=1\n[polling]\ninterval_s=2.5\n[s3]\nprefix=a, b\n",
        encoding="utf-8",
    )
    settings = AppSettings(profile)
    assert settings.notifications_enabled is False
    assert settings.demo_seen is True
    assert settings.poll_interval_s == 2.5
    assert settings.s3_prefix == "a, b"  # an unquoted comma reads back as a list; it is joined again


@pytest.mark.parametrize(
    ("name", "value"),
    [("poll_interval_s", 0), ("poll_interval_s", -1), ("first_poll_delay_s", float("nan")), ("demo_seen", "yes!")],
)
def test_setters_refuse_nonsense(profile: Profile, name: str, value: object) -> None:
    settings = AppSettings(profile)
    with pytest.raises(ValueError, match=name):
        setattr(settings, name, value)


def test_first_poll_delay_may_be_zero(profile: Profile) -> None:
    settings = AppSettings(profile)
    settings.first_poll_delay_s = 0
    assert settings.first_poll_delay_s == 0


def test_an_insecure_base_url_is_refused_with_the_reason(profile: Profile) -> None:
    settings = AppSettings(profile)
    with pytest.raises(ValueError, match="https"):
        settings.api_base_url = "http://api.example.com"
    assert settings.api_base_url == DEFAULT_API_BASE_URL


def test_download_dir_follows_the_profile_until_set(profile: Profile) -> None:
    settings = AppSettings(profile)
    settings.download_dir = "  /srv/videos  "
    assert settings.download_dir == "/srv/videos"
    settings.download_dir = ""
    assert settings.download_dir == str(profile.downloads_dir)


def test_changes_are_announced_by_property_name(profile: Profile) -> None:
    settings = AppSettings(profile)
    seen: list[str] = []
    settings.changed.connect(seen.append)
    settings.poll_interval_s = 5
    settings.s3_bucket = "b"
    settings.draft = {"prompt": "x"}
    settings.reset("poll_interval_s")
    assert seen == ["poll_interval_s", "s3_bucket", "draft", "poll_interval_s"]
    assert settings.poll_interval_s == 10
    with pytest.raises(KeyError):
        settings.reset("no_such_setting")


@pytest.mark.parametrize(
    "url",
    [
        "https://api.apixo.ai",
        "https://api.apixo.ai/",
        "https://proxy.example.com:8443/apixo",
        "http://127.0.0.1:8765",
        "http://127.8.9.10",
        "http://localhost:5000",
        "http://LOCALHOST",
        "http://[::1]:8080",
        "  https://api.apixo.ai  ",
    ],
)
def test_allowed_base_urls(url: str) -> None:
    assert validate_api_base_url(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "",
        "   ",
        "api.apixo.ai",
        "http://api.apixo.ai",
        "http://10.0.0.5:8000",
        "http://[::2]",
        "http://localhost.example.com",
        "ftp://api.apixo.ai",
        "https://",
        "https://user:pass@api.apixo.ai",
        "https://api.apixo.ai?key=1",
        "https://api.apixo.ai:99999",
        "https://api.apixo.ai#top",
        "http://127.0.0.1\\@evil.example",  # httpx, which connects, reads the host evil.example
    ],
)
def test_refused_base_urls_say_why(url: str) -> None:
    problem = validate_api_base_url(url)
    assert problem and problem.endswith(".")
