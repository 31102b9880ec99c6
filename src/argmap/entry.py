"""The console-script entry point: answers --version, and runs a plainly written ``argmap show``
or ``argmap check-citations`` without importing the CLI framework; turns interrupts and closed
pipes into exit codes instead of tracebacks."""

from __future__ import annotations

import sys


def console() -> None:
    """The console script (and ``python -m argmap``): ``main``; after ``check-citations`` the
    process then ends at once, its output flushed, without the interpreter's teardown.

    A check ends holding the bibliography's entries and the report (tens of MB of objects for a
    large .bib), which the interpreter's teardown walks and frees only for the process to
    exit: 5-10 ms of a warm check of the benchmark's (README, *The warm check, two cores*).
    Nothing of argmap's waits for the teardown: output files are written whole before the
    report, the helper and index workers are reaped, and no exit handler is registered.
    """
    if sys.argv[1:2] != ["check-citations"]:
        main()
        return
    import os

    try:
        main()
        code: object = 0
    except SystemExit as exit_:
        code = exit_.code
    if code is not None and not isinstance(code, int):
        raise SystemExit(code)  # a message for Python to print, as it would have
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        # as ``main`` answers a reader that went away
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    os._exit(code or 0)


def main() -> None:
    """Run argmap; never end in a traceback for an interrupt or a reader that went away."""
    try:
        dispatch()
    except KeyboardInterrupt:
        sys.stderr.write("argmap: interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        # The reader (`| head`) stopped reading: not an error of ours. Point stdout at
        # /dev/null so that the interpreter's final flush does not fail again.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except Exception as error:  # the last resort: a bug of ours, said in one line
        internal_error(error)


def internal_error(error: Exception) -> None:
    """Report an exception argmap did not expect — a bug, not the user's doing — in one line
    that says what to do, and exit 2; ``ARGMAP_DEBUG=1`` prints the traceback as well."""
    import os

    if os.environ.get("ARGMAP_DEBUG", "") not in ("", "0"):
        import traceback

        traceback.print_exc()
    from argmap.base.sanitize import one_line

    sys.stderr.write(
        f"argmap: internal error: {one_line(f'{type(error).__name__}: {error}')} (a bug in "
        "argmap: please report it with the command you ran; ARGMAP_DEBUG=1 shows where)\n"
    )
    sys.exit(2)


def dispatch() -> None:
    """Answer ``argmap --version`` before typer is imported, and run ``argmap show`` and
    ``argmap check-citations`` without it when their options are plainly written
    (``argmap.cli.quick``); else run the command through Typer."""
    argv = sys.argv[1:]
    if argv == ["--version"]:
        from argmap import __version__

        sys.stdout.write(f"argmap {__version__}\n")
        return
    if argv[:1] == ["show"]:
        import os

        from argmap.cli.quick import show_arguments

        arguments = show_arguments(argv[1:], os.environ)
        if arguments is not None:
            from argmap.cli.core import reset
            from argmap.cli.drawing import run_show

            reset()
            run_show(**arguments)
            return
    if argv[:1] == ["check-citations"]:
        import os

        from argmap.cache.compiled import prefill

        # before the check's modules are imported: their patterns are then found compiled
        prefill()
        from argmap.cli.quick import check_arguments

        arguments = check_arguments(argv[1:], os.environ)
        if arguments is not None:
            from argmap.cli.checking import run_check_citations
            from argmap.cli.core import reset

            reset()
            run_check_citations(**arguments)
            return
    run()


def run() -> None:
    """Run the Typer application (``argmap.cli.usage``: a usage error in one line)."""
    from argmap.cli.usage import run_app

    run_app()
