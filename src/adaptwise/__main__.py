"""`python -m adaptwise` runs the same entry point as the console script."""

import sys

from adaptwise.cli import main

sys.exit(main())
