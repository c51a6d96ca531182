"""`python -m procmap` and the `procmap` command.

Ctrl-C at any moment ends in one line and exit status 130, also during the first
fraction of a second, while Python is still importing the command line.
"""

import gc
import sys


def main() -> None:
    # The edge of the process, so the one place that may touch the collector for good: importing
    # typer, pydantic and procmap makes tens of thousands of long-lived objects and no garbage, and
    # the collector would scan them again and again (about 8 % of `procmap inspect`). Frozen after,
    # they stay out of every later collection of the run too.
    gc.disable()
    try:
        from procmap.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("procmap: interrupted\n")
        raise SystemExit(130) from None
    finally:
        gc.freeze()
        gc.enable()
    run()


if __name__ == "__main__":
    main()
