"""Bulk loading with PostgreSQL COPY: tens of thousands of rows a second, inside the caller's transaction."""

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, text


def copy_rows(conn: Connection, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """COPY `rows` into `table` on the connection's own psycopg cursor, so it shares the transaction."""
    count = 0
    cursor = conn.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def sync_identity(conn: Connection, table: str) -> None:
    """Rows loaded with explicit ids leave the identity sequence behind: move it past the largest id."""
    conn.execute(
        text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    )
