// name: influence_pagerank
// description: The influence ranking computed entirely in Cypher, as of a day: the
//   personalised PageRank of stakegraph.analysis.influence on the deference graph of
//   influence_ranking (formal, oversight and tie edges, weighted by w_formal,
//   w_oversight and w_tie, each person's edges normalised to sum 1). The teleport
//   vector is max(grade, 1) x (1 + decision_boost x decision weight), normalised;
//   each of the `iterations` power steps is x = d P'x + (d x dangling mass + 1 - d) p,
//   where a dangling person (who defers to nobody) hands their walk back to p.
//   Starting from p, the error after k steps is below 2 x damping^k in sum; 100
//   steps at damping 0.85 agree with the Python ranking to about 1e-7. Ties in score
//   are ranked by person id. A tie whose `since` is after the day does not exist yet
//   (as in stakegraph.graph.timeline.workspace_on), and a dated reporting line or
//   oversight counts from its `start` until before its `end`. Names are those in
//   force on the day.
//   A person holds a post on the days of their tenure except while on leave, and
//   only while the post lives (its own and its organisation's lifetime); a decision
//   role on a post that ceased in a reform falls on the live posts standing for it,
//   its weight shared, as in decision_chain.
// params:
//   workspace: str — workspace id
//   as_of: date — analysis day (YYYY-MM-DD)
//   opportunity: str = null — personalise by this opportunity's decision roles
//   iterations: int = 100 [1, 500] — number of power iteration steps
//   damping: float = 0.85 [0, 0.999] — PageRank damping factor d ([influence] damping)
//   w_formal: float = 1.0 [0, 100] — weight of formal reporting edges ([influence] formal)
//   w_oversight: float = 1.0 [0, 100] — weight of oversight edges ([influence] oversight)
//   w_tie: float = 0.5 [0, 100] — weight of informal tie edges ([influence] tie)
//   decision_boost: float = 3.0 [0, 100] — how much decision roles raise the teleport weight
// example: workspace=smart-city as_of=2026-11-28
// returns: person, name, score, rank

// Persons in id order, each with their highest grade on the day (0 without a post).
MATCH (person:Person {workspace: $workspace})
WITH person, date($as_of) AS day
ORDER BY person.id
WITH collect({
  id: person.id,
  name: coalesce([i IN range(0, size(coalesce(person.name_history, [])) - 1)
             WHERE (person.name_starts[i] = '' OR date(person.name_starts[i]) <= day)
               AND (person.name_ends[i] = '' OR day < date(person.name_ends[i]))
             | person.name_history[i]][0], person.name),
  grade: toFloat(reduce(g = 0, x IN COLLECT {
    MATCH (person)-[hd:HOLDS]->(post:Post)
    WHERE (hd.start IS NULL OR hd.start <= day) AND (hd.end IS NULL OR day < hd.end)
      AND NOT coalesce(hd.on_leave, false)
      AND (post.live_start IS NULL OR post.live_start <= day)
      AND (post.live_end IS NULL OR day < post.live_end)
    RETURN post.grade
  } | CASE WHEN x > g THEN x ELSE g END))
}) AS people
// The deference edges and decision weights, as in influence_ranking.
CALL () {
  CALL () {
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
                        WHERE (r.start IS NULL OR r.start <= day)
                          AND (r.end IS NULL OR day < r.end) }
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
           sum(t.strength * t.confidence) AS weight
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
  }
  RETURN collect({part: part, source: source, target: target, weight: weight}) AS rows
}
// Person ids become list positions by grouping (a hash join, no per-edge scan):
// first each edge meets its target's position and each decision weight its holder ...
UNWIND [k IN range(0, size(people) - 1) |
         {id: people[k].id, name: people[k].name, grade: people[k].grade, key: people[k].id, i: k}]
     + [r IN rows WHERE r.target IS NOT NULL | {
         key: r.target,
         source: r.source,
         w: r.weight * CASE r.part WHEN 'formal' THEN $w_formal
                                   WHEN 'oversight' THEN $w_oversight
                                   ELSE $w_tie END
       }]
     + [r IN rows WHERE r.part = 'decision' | {key: r.source, decision: r.weight}] AS item
WITH item.key AS key, collect(item) AS items
WITH items, [x IN items WHERE x.i IS NOT NULL][0] AS me
WHERE me IS NOT NULL
// ... then its source's position, whose out-weight normalises it ...
UNWIND [me {.*, decision: reduce(s = 0.0, x IN [y IN items WHERE y.decision IS NOT NULL]
                                 | s + x.decision)}]
     + [x IN items WHERE x.source IS NOT NULL | {key: x.source, t: me.i, w: x.w}] AS item
WITH item.key AS key, collect(item) AS items
WITH [x IN items WHERE x.i IS NOT NULL][0] AS me, [x IN items WHERE x.t IS NOT NULL] AS outs
WHERE me IS NOT NULL
WITH me, outs, reduce(s = 0.0, x IN outs | s + x.w) AS out
// ... and each target collects its in-edges [source position, normalised weight].
UNWIND [me {.*, key: me.i, dangling: out <= 0}]
     + [x IN outs WHERE out > 0 | {key: x.t, s: me.i, w: x.w / out}] AS item
WITH item.key AS j, collect(item) AS items
WITH j, [x IN items WHERE x.s IS NULL][0] AS me,
     [x IN items WHERE x.s IS NOT NULL | [x.s, x.w]] AS ins
ORDER BY j
WITH collect(me) AS people, collect(ins) AS ins
WITH people, ins, size(people) AS n, $damping AS d,
     [x IN people | CASE WHEN x.grade > 1.0 THEN x.grade ELSE 1.0 END
                    * (1.0 + $decision_boost * x.decision)] AS mass
WITH people, ins, n, d, mass, reduce(s = 0.0, m IN mass | s + m) AS total
WITH people, ins, n, d, [m IN mass | m / total] AS p,
     [k IN range(0, n - 1) WHERE people[k].dangling] AS dangling
// Power iteration from x = p; c is the teleport factor of the step, computed once.
WITH people, n, reduce(x = p, step IN range(1, $iterations) |
  [c IN [d * reduce(s = 0.0, k IN dangling | s + x[k]) + 1.0 - d] |
    [j IN range(0, n - 1) |
      d * reduce(s = 0.0, e IN ins[j] | s + e[1] * x[e[0]]) + c * p[j]]][0]
) AS x
UNWIND range(0, n - 1) AS k
WITH people[k].id AS person, people[k].name AS name, x[k] AS score
ORDER BY score DESC, person
WITH collect({person: person, name: name, score: score}) AS ranked
UNWIND range(0, size(ranked) - 1) AS r
RETURN ranked[r].person AS person, ranked[r].name AS name, ranked[r].score AS score,
       r + 1 AS rank
