// name: influence_ranking
// description: What the influence ranking is computed from, as of a day: the deference
//   edges among persons (source defers to target) and each person's teleport inputs.
//   Parts: formal (holder of a post -> holder of the nearest held post it reports to,
//   climbing past vacant posts), oversight (a bureau's leaders -> the holder of the
//   post overseeing it, 分管), tie (informal ties, strength x confidence, both ways
//   unless directed, parallel ties summed or the strongest taken as `tie_deference`
//   says; a tie whose `since` is after the day does
//   not exist yet, as in stakegraph.graph.timeline.workspace_on; a dated reporting
//   line or oversight counts on the days from its `start` until before its `end`),
//   grade (each person's highest grade on the day, 0 without a post; one row per
//   person, so every person appears) and decision (sum of the role weights a person holds on the
//   opportunity's chain). The ranking itself is a personalised PageRank; Neo4j
//   Community has no GDS and a faithful PageRank is impractical in plain Cypher, so
//   stakegraph feeds these rows to the same sparse power iteration as
//   stakegraph.analysis.influence (stakegraph.engines.queries.influence_from_neo4j,
//   `stakegraph influence --neo4j`); for a Cypher-only ranking see influence_pagerank.
//   A person holds a post on the days of their tenure except while on leave, and
//   only while the post lives (its own and its organisation's lifetime); a decision
//   role on a post that ceased in a reform falls on the live posts standing for it,
//   its weight shared, as in decision_chain.
// params:
//   workspace: str — workspace id
//   as_of: date — analysis day (YYYY-MM-DD)
//   opportunity: str = null — personalise by this opportunity's decision roles
//   tie_deference: str = sum {sum|max} — how parallel ties between two persons add up: summed, or the strongest ([ties] deference)
// example: workspace=smart-city as_of=2026-11-28
// returns: part, source, target, weight
MATCH (p:Person {workspace: $workspace})
WITH p, date($as_of) AS day
RETURN 'grade' AS part, p.id AS source, null AS target,
       toFloat(reduce(g = 0, x IN COLLECT {
         MATCH (p)-[hd:HOLDS]->(post:Post)
         WHERE (hd.start IS NULL OR hd.start <= day) AND (hd.end IS NULL OR day < hd.end)
           AND NOT coalesce(hd.on_leave, false)
           AND (post.live_start IS NULL OR post.live_start <= day)
           AND (post.live_end IS NULL OR day < post.live_end)
         RETURN post.grade
       } | CASE WHEN x > g THEN x ELSE g END)) AS weight
UNION ALL
MATCH (post:Post {workspace: $workspace})-[up:REPORTS_TO]->(:Post)
WITH post, up, date($as_of) AS day
WHERE (up.start IS NULL OR up.start <= day) AND (up.end IS NULL OR day < up.end)
WITH DISTINCT post, day
MATCH (p:Person)-[hd:HOLDS]->(post)
WHERE (hd.start IS NULL OR hd.start <= day) AND (hd.end IS NULL OR day < hd.end)
  AND NOT coalesce(hd.on_leave, false)
  AND (post.live_start IS NULL OR post.live_start <= day)
  AND (post.live_end IS NULL OR day < post.live_end)
MATCH q = (post)-[:REPORTS_TO*1..]->(superior:Post)
WHERE superior <> post
  AND all(r IN relationships(q) WHERE (r.start IS NULL OR r.start <= day)
                                     AND (r.end IS NULL OR day < r.end))
  AND all(mid IN nodes(q)[1..-1] WHERE NOT EXISTS {
    MATCH (:Person)-[mh:HOLDS]->(mid)
    WHERE (mh.start IS NULL OR mh.start <= day) AND (mh.end IS NULL OR day < mh.end)
      AND NOT coalesce(mh.on_leave, false)
      AND (mid.live_start IS NULL OR mid.live_start <= day)
      AND (mid.live_end IS NULL OR day < mid.live_end)
  })
MATCH (boss:Person)-[bh:HOLDS]->(superior)
WHERE (bh.start IS NULL OR bh.start <= day) AND (bh.end IS NULL OR day < bh.end)
  AND NOT coalesce(bh.on_leave, false)
  AND (superior.live_start IS NULL OR superior.live_start <= day)
  AND (superior.live_end IS NULL OR day < superior.live_end)
  AND boss <> p
RETURN DISTINCT 'formal' AS part, p.id AS source, boss.id AS target, 1.0 AS weight
UNION ALL
MATCH (overseer:Post {workspace: $workspace})-[ov:OVERSEES]->(org:Organisation)
WITH overseer, org, ov, date($as_of) AS day
WHERE (ov.start IS NULL OR ov.start <= day) AND (ov.end IS NULL OR day < ov.end)
WITH DISTINCT overseer, org, day
MATCH (boss:Person)-[bh:HOLDS]->(overseer)
WHERE (bh.start IS NULL OR bh.start <= day) AND (bh.end IS NULL OR day < bh.end)
  AND NOT coalesce(bh.on_leave, false)
  AND (overseer.live_start IS NULL OR overseer.live_start <= day)
  AND (overseer.live_end IS NULL OR day < overseer.live_end)
MATCH (lead:Post)-[:IN]->(org)
WHERE lead.leadership
  AND (NOT EXISTS { MATCH (lead)-[r:REPORTS_TO]->(:Post)
                    WHERE (r.start IS NULL OR r.start <= day) AND (r.end IS NULL OR day < r.end) }
       OR EXISTS { MATCH (lead)-[r:REPORTS_TO]->(:Post)-[:IN]->(other)
                   WHERE other <> org AND (r.start IS NULL OR r.start <= day)
                     AND (r.end IS NULL OR day < r.end) })
MATCH (leader:Person)-[lh:HOLDS]->(lead)
WHERE (lh.start IS NULL OR lh.start <= day) AND (lh.end IS NULL OR day < lh.end)
  AND NOT coalesce(lh.on_leave, false)
  AND (lead.live_start IS NULL OR lead.live_start <= day)
  AND (lead.live_end IS NULL OR day < lead.live_end)
  AND leader <> boss
RETURN DISTINCT 'oversight' AS part, leader.id AS source, boss.id AS target, 1.0 AS weight
UNION ALL
MATCH (a:Person {workspace: $workspace})-[t:TIE]->(b:Person)
WHERE t.since IS NULL OR t.since <= date($as_of)
UNWIND CASE WHEN coalesce(t.directed, false) THEN [[a.id, b.id]]
            ELSE [[a.id, b.id], [b.id, a.id]] END AS edge
RETURN 'tie' AS part, edge[0] AS source, edge[1] AS target,
       CASE WHEN $tie_deference = 'max' THEN max(t.strength * t.confidence)
            ELSE sum(t.strength * t.confidence) END AS weight
UNION ALL
MATCH (:Opportunity {workspace: $workspace, id: $opportunity})<-[:STEP_OF]-(s:Step)
MATCH (h)-[ro:ROLE]->(s)
WITH h, ro, date($as_of) AS day
// a role on a post that ceased in a reform falls on the live posts standing for
// it, its weight shared among them, as in decision_chain
WITH h, ro, day,
     CASE WHEN h:Person THEN [null]
          ELSE reduce(seen = [], post IN COLLECT {
            MATCH path = (h)-[:SUCCEEDED_BY]->*(live:Post)
            WHERE (live.live_start IS NULL OR live.live_start <= day)
              AND (live.live_end IS NULL OR day < live.live_end)
              AND all(gone IN nodes(path)[..-1] WHERE gone.live_end <= day)
              AND all(x IN relationships(path) WHERE x.day <= day AND x.follows)
            RETURN live
            ORDER BY reduce(k = [], x IN relationships(path) | k + [toString(x.day), x.reform, x.order])
          } | CASE WHEN post IN seen THEN seen ELSE seen + post END) END AS posts
UNWIND posts AS post
WITH h, post, day, ro.weight / size(posts) AS share
UNWIND CASE WHEN h:Person THEN [h]
            ELSE COLLECT {
              MATCH (p:Person)-[hd:HOLDS]->(post)
              WHERE (hd.start IS NULL OR hd.start <= day) AND (hd.end IS NULL OR day < hd.end)
                AND NOT coalesce(hd.on_leave, false)
              RETURN p
            } END AS holder
RETURN 'decision' AS part, holder.id AS source, null AS target, sum(share) AS weight
