"""ichinv: a national inventory of intangible cultural heritage kept as reviewed, versioned data."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # `__version__` is read from the installed metadata on first use only: importing
    # importlib.metadata costs more than the rest of `ichinv --help`.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("ichinv")
        except PackageNotFoundError:  # pragma: no cover - a source tree without install
            value = "0.0.0"
        globals()["__version__"] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
