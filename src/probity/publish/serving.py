"""Tables the web app reads a person from, made once at publish and sorted by person, so a
person page reads its few rows instead of scanning a force's worth (`publish/casefile.py`
has the queries they are made from, and uses those directly on a run published without them).

At Met scale a person's monthly activity took 21 ms to find in the model's event table and
under 1 ms in its sorted copy (benchmarks/pages.py has the page figures).
"""

from __future__ import annotations

from probity.publish import casefile
from probity.warehouse.engine import Engine


def build_serving_tables(engine: Engine) -> dict[str, int]:
    """Make the serving tables; returns each one's row count (for the run report)."""
    made: dict[str, int] = {}

    def make(name: str, sql: str, order: str) -> None:
        engine.execute(f"CREATE OR REPLACE TABLE {name} AS {sql} ORDER BY {order}")
        made[name] = int(engine.fetch(f"SELECT count(*) FROM {name}")[0][0])

    make("serving_timeline", casefile.timeline_sql(engine), "person_key, occurred_at")
    if engine.table_exists("person_month_events"):
        make("serving_activity", casefile.activity_sql(), "person_key, month, kind")
        make("serving_recent", casefile.recent_sql(), "person_key, kind")
        make("serving_peer_stats", casefile.peer_stats_sql("serving_recent"), "peer_group, kind")
    return made
