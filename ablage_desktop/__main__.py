"""``python -m ablage_desktop``, and the entry script of the PyInstaller build.

``multiprocessing.freeze_support()`` comes first: the benchmark runs its rows in ``spawn`` child
processes, and in a frozen build a child is this same executable started with multiprocessing's
arguments; freeze_support() runs the child's work and exits there, before any argument parsing.
Outside a frozen build it does nothing.
"""

import multiprocessing

if __name__ == "__main__":
    multiprocessing.freeze_support()

    from ablage_desktop.app import run

    run()
