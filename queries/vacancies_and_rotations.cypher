// name: vacancies_and_rotations
// description: Posts that exist on a day and have no holder (kind VACANT): a post
//   lives while the day falls inside its own start/end and its organisation's, so an
//   abolished or not yet created post is never vacant, and a post whose only holder
//   is on leave is. Then tenures held on the day (not on leave) that started within
//   the last `days` days up to that day (kind ROTATION) with the predecessor: the
//   person whose tenure of the same post ended last, on or before the start. Tenure
//   `end` is exclusive, as in stakegraph.records.workspace.Workspace.holders. A start
//   that carries on the person's own tenure is not a rotation: back on the same post
//   (after leave), or on a post a reform gave them that day from the one they held
//   (stakegraph.records.lineage.continued_from). Names are those in force on the day.
// params:
//   workspace: str — workspace id
//   as_of: date — the day (YYYY-MM-DD)
//   days: int = 90 [0, 36500] — how far back a start counts as recent
// example: workspace=smart-city as_of=2026-11-28
// returns: kind, post, post_title, org, org_name, person, person_name, start, predecessor, predecessor_name
MATCH (post:Post {workspace: $workspace})-[:IN]->(org:Organisation)
WITH post, org, date($as_of) AS day
// live_start/live_end: the post's lifetime within its organisation's
WHERE (post.live_start IS NULL OR post.live_start <= day)
  AND (post.live_end IS NULL OR day < post.live_end)
  AND NOT EXISTS {
    MATCH (:Person)-[hd:HOLDS]->(post)
    WHERE (hd.start IS NULL OR hd.start <= day) AND (hd.end IS NULL OR day < hd.end)
      AND NOT coalesce(hd.on_leave, false)
  }
RETURN 'VACANT' AS kind, post.id AS post, post.title AS post_title, org.id AS org,
       org.name AS org_name, null AS person, null AS person_name, null AS start,
       null AS predecessor, null AS predecessor_name
ORDER BY post
UNION ALL
MATCH (p:Person {workspace: $workspace})-[hd:HOLDS]->(post:Post)-[:IN]->(org:Organisation)
WITH p, hd, post, org, date($as_of) AS day
WHERE hd.start IS NOT NULL AND hd.start <= day AND (hd.end IS NULL OR day < hd.end)
  AND NOT coalesce(hd.on_leave, false) AND duration.inDays(hd.start, day).days <= $days
  // not a rotation: back on the same post (after leave), or on across a reform
  AND NOT EXISTS { MATCH (p)-[own:HOLDS]->(post) WHERE own.end = hd.start }
  AND NOT EXISTS {
    MATCH (p)-[was:HOLDS]->(:Post)-[x:SUCCEEDED_BY]->(post)
    WHERE was.end = hd.start AND x.day = hd.start
  }
OPTIONAL CALL (p, hd, post) {
  MATCH (before:Person)-[old:HOLDS]->(post)
  WHERE before <> p AND old.end IS NOT NULL AND old.end <= hd.start
  RETURN before ORDER BY old.end DESC, before.id DESC LIMIT 1
}
RETURN 'ROTATION' AS kind, post.id AS post, post.title AS post_title, org.id AS org,
       org.name AS org_name, p.id AS person,
       // the names in force on the day: the first dated name that holds, else the name
       coalesce([i IN range(0, size(coalesce(p.name_history, [])) - 1)
                 WHERE (p.name_starts[i] = '' OR date(p.name_starts[i]) <= day)
                   AND (p.name_ends[i] = '' OR day < date(p.name_ends[i]))
                 | p.name_history[i]][0], p.name) AS person_name,
       hd.start AS start, before.id AS predecessor,
       coalesce([i IN range(0, size(coalesce(before.name_history, [])) - 1)
                 WHERE (before.name_starts[i] = '' OR date(before.name_starts[i]) <= day)
                   AND (before.name_ends[i] = '' OR day < date(before.name_ends[i]))
                 | before.name_history[i]][0], before.name) AS predecessor_name
ORDER BY start DESC, post, person
