"""Parameters the planner is not shown, so that a hot statement is planned once per connection.

psycopg prepares a statement once it has run 5 times on a connection. PostgreSQL then plans each execution
for its values (a custom plan) unless the plan it made without them (the generic plan) is estimated no
dearer than a custom plan plus the planning. Statements filtering on `sku = ANY(:skus)` never get there:
a custom plan counts the array's one to four SKUs, the generic plan assumes ten, so the generic plan looks
dearer and every execution is planned anew. For capture's first statement, planning was 60% of its
PostgreSQL CPU (0.87 against 0.35 ms a call with the generic plan).

Behind a sub-select, a value is unknown to a custom plan as well: custom plans then cost what the generic
one does, and PostgreSQL settles on the generic plan after its first five executions. The plans are the
same index lookups; only the planning goes. Use it for parameters of hot statements whose plan does not
depend on the value (a list of keys looked up by index), not for ones whose best plan does (a status or a
date range over skewed data).
"""


def opaque(param: str, sql_type: str) -> str:
    """SQL for the bind parameter `:param` of type `sql_type`, hidden from the planner (see above)."""
    return f"CAST((SELECT CAST(:{param} AS {sql_type})) AS {sql_type})"
