import sys

try:
    from .cli import main
except ModuleNotFoundError as exc:  # Equal Shares and Phragmén count with NumPy's arrays
    if exc.name != "numpy":
        raise
    print(
        "error: the counting program needs NumPy. Install it with: python -m pip install numpy",
        file=sys.stderr,
    )
    sys.exit(2)

sys.exit(main())
