// name: rotation_risk_inputs
// description: What the rotation risk of an opportunity's chain is estimated from
//   (stakegraph.analysis.rotation_risk), as of a day: one row per holder of a post on
//   the chain, the posts resolved as decision_chain resolves them (a role naming a
//   person rather than a post is not assessed; a vacant post gives no row). `start` is
//   when the holder's career on the post began, run back across reforms as
//   stakegraph.records.lineage.career_start does (a tenure that starts on the day of a
//   reform of posts naming the post as a successor continues the same person's tenure
//   on a predecessor ending that day; followed back through at most 20 reforms);
//   `grade` is the post's grade number, `born` the holder's year of birth, and
//   `reform`/`reform_day` the latest reform (by day, then id) of the post or of its
//   organisation dated within the `reform_days` days up to the day (the day itself
//   included, the first day of the window not). Holders are those of the day (tenure
//   end exclusive, a holder on leave does not hold the post; co-holders by id); `acting`
//   flags one who acts for the post.
// params:
//   workspace: str — workspace id
//   opportunity: str — opportunity id
//   as_of: date — analysis day (YYYY-MM-DD)
//   reform_days: int = 365 [0, 3650] — days after a reform in which it counts as recent ([rotation] reform_days)
// example: workspace=smart-city opportunity=smart-city as_of=2026-11-28
// returns: step_index, step, role_index, role, post, org, grade, person, acting, start, born, reform, reform_day
MATCH (:Opportunity {workspace: $workspace, id: $opportunity})<-[so:STEP_OF]-(s:Step)
MATCH (h)-[ro:ROLE]->(s)
WITH date($as_of) AS day, so.order AS step_index, s, ro, h
// The live posts that stand for the role's post on the day (lineage.stands_for): paths
// along SUCCEEDED_BY through posts that have ceased, to a live one, in reform order.
WITH day, step_index, s, ro, h,
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
ORDER BY step_index, ro.order
// One resolved role per post, numbered within the step as resolve_chain numbers them.
WITH day, step_index, s,
     reduce(roles = [], r IN collect({ro: ro, h: h, posts: posts}) |
            roles + [post IN r.posts | {ro: r.ro, h: r.h, post: post, parts: size(r.posts)}]) AS roles
UNWIND range(0, size(roles) - 1) AS role_index
WITH day, step_index, s, role_index, roles[role_index] AS resolved
WITH day, step_index, s, role_index, resolved.ro AS ro, resolved.h AS h,
     resolved.post AS post, resolved.ro.weight / resolved.parts AS weight
WHERE NOT h:Person
MATCH (post)-[:IN]->(org:Organisation)
MATCH (p:Person)-[hd:HOLDS]->(post)
WHERE (hd.start IS NULL OR hd.start <= day) AND (hd.end IS NULL OR day < hd.end)
  AND NOT coalesce(hd.on_leave, false)
// The career on the post, run back across reforms: the tenure on a predecessor that
// ends on the day this one starts, with a SUCCEEDED_BY of that day into this post.
WITH day, step_index, s, role_index, ro, post, org, p, hd,
     reduce(back = {post: post, start: hd.start}, i IN range(1, 20) |
       coalesce(head([(p)-[was:HOLDS]->(before:Post)-[x:SUCCEEDED_BY]->(later:Post)
                      WHERE later = back.post AND back.start IS NOT NULL
                        AND was.end = back.start AND x.day = back.start
                      | {post: before, start: was.start}]), back)) AS career
// The latest recent reform of the post or of its organisation.
OPTIONAL CALL (post, org, day) {
  MATCH (rf:Reform)-[:REFORM_OF|REFORM_INTO]->(x)
  WHERE ((x = post AND rf.of = 'posts') OR (x = org AND rf.of = 'organisations'))
    AND day - duration({days: $reform_days}) < rf.day AND rf.day <= day
  RETURN rf ORDER BY rf.day DESC, rf.id DESC LIMIT 1
}
RETURN step_index, s.step AS step, role_index, ro.role AS role, post.id AS post,
       org.id AS org, post.grade AS grade, p.id AS person,
       coalesce(hd.acting, false) AS acting, career.start AS start, p.born AS born,
       rf.id AS reform, rf.day AS reform_day
ORDER BY step_index, role_index, person
