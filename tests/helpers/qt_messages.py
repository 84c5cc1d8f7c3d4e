"""Marks for the Qt warnings a test causes on purpose, so only that test may emit them."""

from __future__ import annotations

import pytest

# QtMultimedia's FFmpeg backend says this when handed a file that is not media. Tests that hand it one on purpose
# (to check the app's own readable error) expect it; anywhere else it would mean a broken clip, so it fails the test.
expects_broken_media_warning = pytest.mark.qt_log_ignore(
    r"Could not open media\. FFmpeg error description: Invalid data found when processing input"
)
