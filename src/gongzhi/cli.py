"""The `gongzhi` console script: Django's manage command for this project.

``gongzhi tally`` is dispatched before Django starts: it needs no database and no
settings, and a committee counting ballots should not wait for a web framework.
``gongzhi serve`` too: it starts the web server and the worker as processes of
their own, with the production settings they need.
"""

import os
import sys


def main() -> None:
    if sys.argv[1:2] == ["tally"]:
        import signal

        from gongzhi.voting.cli_tally import main as tally_main

        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `gongzhi tally … | head` ends quietly
        sys.exit(tally_main(sys.argv[2:]))
    if sys.argv[1:2] == ["serve"]:
        from gongzhi.serve import main as serve_main

        sys.exit(serve_main(sys.argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
