"""`python -m sora2_desktop`: the same as the `sora2-desktop` command."""

import sys

from sora2_desktop.app import main

sys.exit(main())
