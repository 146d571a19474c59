"""``python -m rerun_cli``: the same as the ``rerun`` command."""

import sys

from rerun_cli.main import main

sys.exit(main())
