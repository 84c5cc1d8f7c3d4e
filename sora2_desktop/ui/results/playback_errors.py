"""What the player says when a file will not play: the file's name and a reason a person can act on."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtMultimedia import QMediaPlayer

_translate = QCoreApplication.translate


def playback_error_text(error: QMediaPlayer.Error, name: str, detail: str) -> str:
    reasons = {
        QMediaPlayer.Error.ResourceError: _translate(
            "VideoPlayer", "The file could not be opened. It may have been moved or deleted."
        ),
        QMediaPlayer.Error.FormatError: _translate(
            "VideoPlayer", "The file is not a video this player can read. It may be damaged."
        ),
        QMediaPlayer.Error.NetworkError: _translate("VideoPlayer", "The video could not be fetched over the network."),
        QMediaPlayer.Error.AccessDeniedError: _translate(
            "VideoPlayer", "You do not have permission to read this file."
        ),
    }
    reason = reasons.get(error, _translate("VideoPlayer", "Playback stopped unexpectedly."))
    text = _translate("VideoPlayer", "Can't play {name}").format(name=name) + "\n\n" + reason
    if detail:
        text += "\n" + _translate("VideoPlayer", "({detail})").format(detail=detail)
    return text
