"""The frozen app's main script: the same as the halo-wizard command."""

import sys

from wizard.cli import main

sys.exit(main())
