"""``python -m ablage_desktop``."""

import sys

from ablage_desktop.app import main

sys.exit(main())
