"""Read and write the open pabulib ``.pb`` format (https://pabulib.org/format).

A file has three sections in this order, each a section name on its own line, a header
line, then ``;``-separated rows: ``META`` (key;value), ``PROJECTS`` (project_id;cost;...)
and ``VOTES`` (voter_id;vote[;points];...). Every problem is reported as a
:class:`PbFormatError` whose message starts with the line number.

- ``reader``: a file's text into an ``Election``, section by section (``sections``);
- ``normalisations``: the quirks of real published files the reader accepts, each
  recorded with its line in ``Election.normalised``; anything else odd stays an error;
- ``writer``: an ``Election`` as ``.pb`` text, and the anonymised copy for publication;
- ``numbers``: decimals read and written exactly.
"""

from ..model import PbFormatError
from .numbers import parse_number
from .reader import parse_pb, read_pb
from .writer import anonymise, write_pb

__all__ = ["PbFormatError", "anonymise", "parse_number", "parse_pb", "read_pb", "write_pb"]
