"""`python -m procmap` and the `procmap` command.

Ctrl-C at any moment ends in one line and exit status 130, also during the first
fraction of a second, while Python is still importing the command line.
"""

import sys


def main() -> None:
    try:
        from procmap.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("procmap: interrupted\n")
        raise SystemExit(130) from None
    run()


if __name__ == "__main__":
    main()
