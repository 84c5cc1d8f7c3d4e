"""PollTiming for callback tasks: the app never receives the webhook, so they poll like any task unless the
person chose a longer interval for them."""

from __future__ import annotations

from pathlib import Path

from sora2_desktop.api import GenerationRequest, RequestType
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.tasks.poll_timing import PollTiming

ASYNC = GenerationRequest(prompt="a lighthouse")
CALLBACK = GenerationRequest(
    prompt="a lighthouse", request_type=RequestType.CALLBACK, callback_url="https://hooks.example.com/sora"
)


def test_callback_tasks_keep_the_normal_schedule_by_default() -> None:
    timing = PollTiming()
    assert timing.first_delay(CALLBACK) == timing.first_delay(ASYNC) == 180.0
    assert timing.interval(CALLBACK) == timing.interval(ASYNC) == 10.0


def test_a_longer_callback_interval_is_kept_and_a_shorter_one_is_not_faster() -> None:
    assert PollTiming(callback_interval_s=60.0).interval(CALLBACK) == 60.0
    assert PollTiming(callback_interval_s=60.0).interval(ASYNC) == 10.0
    assert PollTiming(callback_interval_s=3.0).interval(CALLBACK) == 10.0
    assert PollTiming(interval_s=20.0, time_scale=0.5).interval(CALLBACK) == 10.0  # follows polling, scaled


def test_the_setting_defaults_to_same_as_polling_and_keeps_a_stored_longer_value(tmp_path: Path) -> None:
    profile = Profile.from_dir(tmp_path / "p").ensure()
    settings = AppSettings(profile)
    assert settings.callback_poll_interval_s == 0.0
    timing = PollTiming(interval_s=settings.poll_interval_s, callback_interval_s=settings.callback_poll_interval_s)
    assert timing.interval(CALLBACK) == 10.0
    settings.callback_poll_interval_s = 60.0  # what a person who lengthened it has stored
    again = AppSettings(profile)
    assert PollTiming(callback_interval_s=again.callback_poll_interval_s).interval(CALLBACK) == 60.0
