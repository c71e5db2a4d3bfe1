// name: vacancies_and_rotations
// description: Posts that exist on a day and have no holder (kind VACANT): a post
//   lives while the day falls inside its own start/end and its organisation's, so an
//   abolished or not yet created post is never vacant. Then tenures that started
//   within the last `days` days up to that day (kind ROTATION) with the predecessor:
//   the person whose tenure of the same post ended last, on or before the start.
//   Tenure `end` is exclusive, as in stakegraph.records.workspace.Workspace.holders.
// params:
//   workspace: str — workspace id
//   as_of: date — the day (YYYY-MM-DD)
//   days: int = 90 [0, 36500] — how far back a start counts as recent
// example: workspace=smart-city as_of=2026-11-28
// returns: kind, post, post_title, org, org_name, person, person_name, start, predecessor, predecessor_name
MATCH (post:Post {workspace: $workspace})-[:IN]->(org:Organisation)
WITH post, org, date($as_of) AS day
WHERE (post.start IS NULL OR post.start <= day) AND (post.end IS NULL OR day < post.end)
  AND (org.start IS NULL OR org.start <= day) AND (org.end IS NULL OR day < org.end)
  AND NOT EXISTS {
  MATCH (:Person)-[hd:HOLDS]->(post)
  WHERE (hd.start IS NULL OR hd.start <= day) AND (hd.end IS NULL OR day < hd.end)
}
RETURN 'VACANT' AS kind, post.id AS post, post.title AS post_title, org.id AS org,
       org.name AS org_name, null AS person, null AS person_name, null AS start,
       null AS predecessor, null AS predecessor_name
ORDER BY post
UNION ALL
MATCH (p:Person {workspace: $workspace})-[hd:HOLDS]->(post:Post)-[:IN]->(org:Organisation)
WITH p, hd, post, org, date($as_of) AS day
WHERE hd.start IS NOT NULL AND hd.start <= day AND (hd.end IS NULL OR day < hd.end)
  AND duration.inDays(hd.start, day).days <= $days
OPTIONAL CALL (p, hd, post) {
  MATCH (before:Person)-[old:HOLDS]->(post)
  WHERE before <> p AND old.end IS NOT NULL AND old.end <= hd.start
  RETURN before ORDER BY old.end DESC, before.id DESC LIMIT 1
}
RETURN 'ROTATION' AS kind, post.id AS post, post.title AS post_title, org.id AS org,
       org.name AS org_name, p.id AS person, p.name AS person_name, hd.start AS start,
       before.id AS predecessor, before.name AS predecessor_name
ORDER BY start DESC, post, person
