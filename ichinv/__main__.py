"""`python -m ichinv`."""

from __future__ import annotations

from ichinv.cli import main

if __name__ == "__main__":
    main()
