import sys

from timingboard.cli import main

sys.exit(main())
