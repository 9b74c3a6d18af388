import sys

from formsengine.cli import main

sys.exit(main())
