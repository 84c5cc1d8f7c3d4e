"""The frozen app's entry point (PyInstaller runs this as __main__): the same as the `sora2-desktop` command."""

import sys

from sora2_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
