"""Daily capacity consumed per node: shipments each node took on for its local day, kept by triggers on
allocations (migration 0007) and spread over slot rows that readers sum."""

# Node id -> shipments taken on today (the node's local day) for the nodes in the embedding statement's
# `stock` CTE; nodes without any are absent.
CAPACITY_USED_SQL = """
    (SELECT coalesce(json_object_agg(c.node_id, c.used), '{}'::json)
     FROM (SELECT u.node_id, sum(u.shipments) AS used
           FROM node_capacity_usage u JOIN nodes n ON n.id = u.node_id
           WHERE u.node_id IN (SELECT DISTINCT node_id FROM stock)
             AND u.day = (now() AT TIME ZONE n.timezone)::date
           GROUP BY u.node_id) c)
"""
