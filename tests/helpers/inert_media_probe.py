"""Run as a script in a process whose Qt Multimedia cannot load (tests/helpers/no_media.py): drives everything that
uses the player — the player itself, Compare, a poster, a frame grab — and prints one JSON line of what each said."""

import asyncio
import importlib
import json
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

import sora2_desktop  # noqa: F401 - before Qt Multimedia, as in the app: its import sets up the stand-ins' finder

app = QApplication(sys.argv[:1])
QtMultimedia = importlib.import_module("PySide6.QtMultimedia")

from sora2_desktop.core.media import playback_support  # noqa: E402
from sora2_desktop.core.media.frame_grab import FrameGrabError, grab_frame  # noqa: E402
from sora2_desktop.core.results.poster_frames import PosterMaker  # noqa: E402
from sora2_desktop.resources import resource_path  # noqa: E402
from sora2_desktop.ui.results.compare_takes import CompareTakesDialog, Take  # noqa: E402
from sora2_desktop.ui.results.video_player import VideoPlayer  # noqa: E402

clip = resource_path("demo_clip.mp4")
report: dict[str, object] = {"module": QtMultimedia.__name__, "stand_in": hasattr(QtMultimedia, "STAND_IN_BECAUSE")}
support = playback_support.current()
report["available"], report["problem"] = support.available, support.problem

player = VideoPlayer()
player.show()
report["player_loads"] = player.load(clip)
for poke in (player.play, player.toggle_play, player.shuttle_forward, player.go_to_end, player.mark_in):
    poke()
player.step(3)
player.set_loop(True)
player.set_volume(0.5)
player.set_muted(True)
player.toggle_full_screen()
app.processEvents()
report["player_message"] = player.message_text()
report["player_file"] = player.unavailable.file_label.text() if player.unavailable is not None else ""

dialog = CompareTakesDialog([Take(1, clip), Take(2, clip)])
dialog.show()
dialog.toggle_play()
dialog.seek(1000)
dialog.set_loop(True)
app.processEvents()
report["compare_says"] = dialog.unavailable_label.text() if dialog.unavailable_label is not None else ""
dialog.close()

failed: list[str] = []
posters = PosterMaker()
posters.poster_failed.connect(lambda _key, why: failed.append(why))
posters.request("1", clip, Path(sys.argv[1]) / "poster.png")
while not failed:
    app.processEvents()
report["poster_says"] = failed[0]

try:
    asyncio.run(grab_frame(clip, 0))
    report["grab_says"] = "grabbed"
except FrameGrabError as error:
    report["grab_says"] = str(error)
print(json.dumps(report), flush=True)
player.close()
