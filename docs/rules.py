"""Write docs/rules.md from the rule rows: ``python docs/rules.py > docs/rules.md``."""

import sys

from summariser.rulebook import markdown

sys.stdout.write(markdown(sys.argv[1] if len(sys.argv) > 1 else "en"))
