import sys

try:
    from .cli import main
except ModuleNotFoundError as exc:  # NumPy, which Equal Shares and Phragmén need
    if exc.name != "numpy":
        raise
    print(
        "error: the counting program needs NumPy. Install it with: python -m pip install numpy",
        file=sys.stderr,
    )
    sys.exit(2)

sys.exit(main())
