"""Hot queries without the ORM's per-request cost.

Building a query costs Django about half a millisecond of CPU (more with joins), against
a few hundredths for sending the SQL; on the voting path that building was most of a
request's time. These helpers build a query's SQL once per process and then only send it:
the query's rules stay in its QuerySet (one home), only the parameters change.
"""

import threading
from collections.abc import Callable, Sequence

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet


class CompiledRows:
    """A ``values_list`` QuerySet compiled to SQL once, then run with other values.

    Each parameter is named with its type (``CompiledRows(build, envelope_id=int)``);
    ``build`` receives a value for each and returns the QuerySet. Each must reach the
    SQL as a parameter of its own (a filter's value). The SQL is compiled twice with
    different values: the parameters that change are the named ones, those that do not
    are the query's own constants. Use it only for columns that need no conversion from
    the database (numbers, text)."""

    def __init__(self, build: Callable[..., QuerySet], **params: type):
        unknown = {name: kind for name, kind in params.items() if kind not in (int, str)}
        if unknown:
            raise TypeError(f"only int and str parameters: {unknown}")
        self._build = build
        self._params = params
        self._compiled: tuple[str, list] | None = None
        self._lock = threading.Lock()

    def _stand_ins(self, attempt: int) -> dict:
        # Values no real query sends: negative ids, text naming its parameter.
        return {
            name: -9_000_000 - 2 * i - attempt if kind is int else f"stand-in {name} {attempt}"
            for i, (name, kind) in enumerate(self._params.items())
        }

    def _compile(self) -> tuple[str, list]:
        first, second = self._stand_ins(0), self._stand_ins(1)
        sql, params = self._build(**first).query.sql_with_params()
        again, other = self._build(**second).query.sql_with_params()
        if sql != again or len(params) != len(other):
            raise ValueError("the query's SQL depends on its parameters' values")
        slots = []
        for value, changed in zip(params, other, strict=True):
            if value == changed:
                slots.append(("value", value))
                continue
            names = [n for n in self._params if first[n] == value and second[n] == changed]
            if len(names) != 1:
                raise ValueError(f"a parameter the ORM changed on its way to the SQL: {value!r}")
            slots.append(("name", names[0]))
        if {name for kind, name in slots if kind == "name"} != set(self._params):
            raise ValueError(f"parameters not found in the SQL: {list(self._params)}")
        return sql, slots

    def statement(self, **values) -> tuple[str, list]:
        """The SQL and its parameters, to send with others (``rows_together``)."""
        if values.keys() != self._params.keys():
            raise TypeError(f"expected the parameters {list(self._params)}, got {list(values)}")
        if self._compiled is None:
            with self._lock:
                self._compiled = self._compiled or self._compile()
        sql, slots = self._compiled
        return sql, [values[name] if kind == "name" else name for kind, name in slots]

    def rows(self, **values) -> list[tuple]:
        (rows,) = rows_together(self.statement(**values))
        return rows


def rows_together(*statements: tuple[str, Sequence]) -> list[list[tuple]]:
    """The rows of each statement, all sent in one round trip.

    Django's PostgreSQL cursors bind parameters on the client and send the text with
    the simple query protocol, which runs the statements one after another as if each
    were sent alone: each sees what was committed when it starts (READ COMMITTED), so
    one that waits for a lock is followed by statements that see what the holder
    committed. The first error stops the rest. Each statement must return rows."""
    sql = ";\n".join(text for text, _params in statements)
    params = [value for _text, values in statements for value in values]
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(sql, params)
        results = [cursor.fetchall()]
        while cursor.nextset():
            results.append(cursor.fetchall())
    if len(results) != len(statements):
        raise ValueError(f"{len(statements)} statements gave {len(results)} results")
    return results


class ModelColumns:
    """Every concrete column of a model (but those deferred), to select beside others in
    hand-written SQL and turn back into an instance, as ``select_related`` (with
    ``defer``) would."""

    def __init__(self, model: type[Model], table: str, *, defer: tuple[str, ...] = ()):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if f.name not in defer]
        self.names = [f.attname for f in self.fields]
        self.sql = ", ".join(f'{table}."{f.column}"' for f in self.fields)
        self._converters: list[tuple[int, list, object]] | None = None

    def __len__(self) -> int:
        return len(self.fields)

    def instance(self, values) -> Model:
        connection = connections[DEFAULT_DB_ALIAS]
        if self._converters is None:
            # The converters the ORM's compiler would apply to each column (JSON, say).
            self._converters = []
            for i, field in enumerate(self.fields):
                column = field.get_col(self.model._meta.db_table)
                converters = connection.ops.get_db_converters(column) + column.get_db_converters(
                    connection
                )
                if converters:
                    self._converters.append((i, converters, column))
        if self._converters:
            values = list(values)
            for i, converters, expression in self._converters:
                for convert in converters:
                    values[i] = convert(values[i], expression, connection)
        return self.model.from_db(DEFAULT_DB_ALIAS, self.names, values)
