"""Sora 2 Desktop: a desktop app for generating videos with OpenAI's Sora 2 through the APIXO API."""

import sys

__version__ = "0.1.0"

# httpx imports its command-line client (click, pygments, rich) whenever click is installed, as the test extras
# install it through Flask: ~60 ms of every start spent on a CLI the app never runs, and test-only packages in the
# app's process. A None entry makes that import fail, and httpx falls back to its stub, as it does without click.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

# Qt Multimedia that cannot load (a DLL missing) becomes inert stand-ins, so the app opens and says what to install.
from sora2_desktop.multimedia_fallback import install as _install_multimedia_fallback  # noqa: E402

_install_multimedia_fallback()
