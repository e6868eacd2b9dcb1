"""The `gongzhi` console script: Django's manage command for this project.

``gongzhi tally`` is dispatched before Django starts: it needs no database and no
settings, and a committee counting ballots should not wait for a web framework.
"""

import os
import sys


def main() -> None:
    if sys.argv[1:2] == ["tally"]:
        import signal

        from gongzhi.voting.cli_tally import main as tally_main

        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `gongzhi tally … | head` ends quietly
        sys.exit(tally_main(sys.argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
