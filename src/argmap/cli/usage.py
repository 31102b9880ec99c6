"""Running the Typer application so that a command line click refuses (an unknown option, a
missing or invalid value, an unknown command) is one ``argmap: error:`` line naming the command,
as argmap's own errors are, instead of click's box of usage and help."""

from __future__ import annotations

import sys

import typer.main


def run_app() -> None:
    """Run the Typer application. A usage error click finds (an unknown option, a missing or
    invalid value) is said in one ``argmap: error:`` line, as argmap's own are, not in click's
    box of usage and help."""
    from argmap.cli.app import app

    try:
        code = typer.main.get_command(app).main(prog_name="argmap", standalone_mode=False)
    except Exception as error:
        # (by the names of click's classes: typer ships its own copy of click since 0.22)
        names = {kind.__name__ for kind in type(error).__mro__}
        if "NoArgsIsHelpError" in names:  # the help is printed already
            sys.exit(2)
        if "Abort" in names:  # an interrupt while click prompts (argmap never prompts)
            raise KeyboardInterrupt from None
        if "ClickException" not in names:
            raise
        usage_error(error)
    if code == 130:  # an interrupt click turned into an exit code
        raise KeyboardInterrupt
    sys.exit(code if isinstance(code, int) else 0)


def usage_error(error: Exception) -> None:
    """Say a usage error of click's in one line naming the command, and exit 2."""
    from argmap.base.sanitize import one_line

    ctx = getattr(error, "ctx", None)
    command = getattr(ctx, "command_path", None)
    if not command:  # an option left without its value is found before the command's context
        first = sys.argv[1] if len(sys.argv) > 1 else ""
        command = f"argmap {first}" if first and not first.startswith("-") else "argmap"
    message = error.format_message() if hasattr(error, "format_message") else str(error)
    where = f"{command.removeprefix('argmap').strip()}: " if command != "argmap" else ""
    sys.stderr.write(
        f"argmap: error: {where}{one_line(message).rstrip('.')} (see {command} --help)\n"
    )
    sys.exit(getattr(error, "exit_code", 2))
