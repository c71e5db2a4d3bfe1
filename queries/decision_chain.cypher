// name: decision_chain
// description: An opportunity's decision chain on a day: every step in order, every
//   role, who holds it and each holder's best direct cover (strongest relationship of
//   any owner; ties to the smaller owner id). Same as
//   stakegraph.graph.chains.resolve_chain plus direct cover. A role on a post stands
//   for the posts live on the day: the post itself while it lives (its own start/end
//   and its organisation's), else, once it has ceased, the successors its reforms gave
//   it to (SUCCEEDED_BY dated on or before the day; a split's `continued_by` only,
//   else every successor), followed until live posts, in reform order; a split shares
//   the role's weight equally and each resolved post is a role of its own
//   (role_index counts them). A post not created yet, or abolished without successor,
//   gives no row. A post resolves to its holders on the day (tenure end exclusive, a
//   holder on leave does not hold it; co-holders by id); `acting` flags one who acts
//   for it (主持工作); a vacant post is one row with a null holder. A role whose holder
//   is not known yet (人选未明: its ROLE starts at an Organisation) is one row with a
//   null post and holder, `vacant` false and `unknown_org` that organisation. Names are those in
//   force on the day. Relationships are taken as they stood on the day, as
//   stakegraph.graph.timeline.workspace_on does: one whose `since` is after the
//   day does not exist yet; each of the six scores is the one of the latest
//   Assessment of the same owner and person dated on or before the day that gives it
//   (by date, then id), else the relationship's own; recency decays from the later of
//   the relationship's `last_contact` and the latest Interaction dated on or before
//   the day that involves both (from `since` when neither is known).
// params:
//   workspace: str — workspace id
//   opportunity: str — opportunity id
//   as_of: date — analysis day (YYYY-MM-DD)
//   half_life_days: float = 180 [1, 36500] — recency half-life in days
//   w_acceptance: float = 1 [0, 100] — weight of the acceptance score
//   w_participation: float = 1 [0, 100] — weight of the participation score
//   w_information: float = 1 [0, 100] — weight of the information score
//   w_guidance: float = 1 [0, 100] — weight of the guidance score
//   w_support: float = 1 [0, 100] — weight of the support score
//   w_preference: float = 1 [0, 100] — weight of the preference score
// example: workspace=smart-city opportunity=smart-city as_of=2026-11-28
// returns: step_index, step, step_name, role_index, role, weight, share, stance, competitor_leaning, post, post_title, holder, holder_name, acting, vacant, direct_cover, direct_owner, unknown_org
MATCH (:Opportunity {workspace: $workspace, id: $opportunity})<-[so:STEP_OF]-(s:Step)
MATCH (h)-[ro:ROLE]->(s)
WITH date($as_of) AS day, so.order AS step_index, s, ro, h
// The live posts that stand for the role's post on the day (lineage.stands_for): paths
// along SUCCEEDED_BY through posts that have ceased, to a live one, in reform order.
WITH day, step_index, s, ro, h,
     CASE WHEN h:Person OR h:Organisation THEN [null]
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
WITH day, step_index, s, role_index, ro, post, weight,
     CASE WHEN h:Organisation THEN h.id END AS unknown_org,
     CASE WHEN h:Person THEN [{person: h, acting: false}]
          ELSE COLLECT {
            MATCH (p:Person)-[hd:HOLDS]->(post)
            WHERE (hd.start IS NULL OR hd.start <= day) AND (hd.end IS NULL OR day < hd.end)
              AND NOT coalesce(hd.on_leave, false)
            RETURN {person: p, acting: coalesce(hd.acting, false)} AS held ORDER BY p.id
          } END AS holders
UNWIND CASE WHEN size(holders) = 0 THEN [{person: null, acting: false}] ELSE holders END AS held
WITH day, step_index, s, role_index, ro, post, weight, holders, held.person AS holder,
     held.acting AS acting, unknown_org
CALL (holder, day) {
  OPTIONAL MATCH (o:Owner)-[r:RELATES]->(holder)
  WHERE r.since IS NULL OR r.since <= day
  // The relationship on the day: re-assessments newest first, the latest logged contact.
  WITH o, r, day,
       COLLECT {
         MATCH (a:Assessment)-[:ASSESSED_BY]->(o)
         MATCH (a)-[:ASSESSES]->(holder)
         WHERE a.date <= day
         RETURN a ORDER BY a.date DESC, a.id DESC
       } AS assessed,
       COLLECT {
         MATCH (i:Interaction)-[:INVOLVES]->(o)
         MATCH (i)-[:INVOLVES]->(holder)
         WHERE i.date <= day
         RETURN i.date ORDER BY i.date DESC LIMIT 1
       }[0] AS logged
  WITH o, r, day, {
         acceptance: coalesce([a IN assessed WHERE a.acceptance IS NOT NULL | a.acceptance][0], r.acceptance),
         participation: coalesce([a IN assessed WHERE a.participation IS NOT NULL | a.participation][0], r.participation),
         information: coalesce([a IN assessed WHERE a.information IS NOT NULL | a.information][0], r.information),
         guidance: coalesce([a IN assessed WHERE a.guidance IS NOT NULL | a.guidance][0], r.guidance),
         support: coalesce([a IN assessed WHERE a.support IS NOT NULL | a.support][0], r.support),
         preference: coalesce([a IN assessed WHERE a.preference IS NOT NULL | a.preference][0], r.preference),
         last_contact: CASE WHEN logged IS NOT NULL AND (r.last_contact IS NULL OR logged > r.last_contact)
                            THEN logged ELSE r.last_contact END
       } AS now
  WITH o, r, now, coalesce(now.last_contact, r.since) AS contact, day
  WITH o,
       ($w_acceptance * now.acceptance + $w_participation * now.participation
        + $w_information * now.information + $w_guidance * now.guidance
        + $w_support * now.support + $w_preference * now.preference)
       / (5.0 * ($w_acceptance + $w_participation + $w_information + $w_guidance
                 + $w_support + $w_preference))
       * CASE WHEN contact IS NULL THEN 1.0
              ELSE 0.5 ^ (toFloat(CASE WHEN contact > day THEN 0
                                       ELSE duration.inDays(contact, day).days END)
                          / $half_life_days) END
       * coalesce(r.confidence, 1.0) AS strength
  ORDER BY strength DESC, o.id
  RETURN collect(CASE WHEN o IS NULL THEN null ELSE [o.id, strength] END)[0] AS best
}
RETURN step_index, s.step AS step, s.name AS step_name, role_index,
       ro.role AS role, weight, weight / toFloat(CASE size(holders) WHEN 0 THEN 1 ELSE size(holders) END) AS share,
       ro.stance AS stance, ro.competitor_leaning AS competitor_leaning,
       post.id AS post, post.title AS post_title, holder.id AS holder,
       // the name in force on the day: the first dated name that holds, else the name
       coalesce([i IN range(0, size(coalesce(holder.name_history, [])) - 1)
                 WHERE (holder.name_starts[i] = '' OR date(holder.name_starts[i]) <= day)
                   AND (holder.name_ends[i] = '' OR day < date(holder.name_ends[i]))
                 | holder.name_history[i]][0], holder.name) AS holder_name,
       acting, holder IS NULL AND unknown_org IS NULL AS vacant,
       coalesce(best[1], 0.0) AS direct_cover, best[0] AS direct_owner, unknown_org
ORDER BY step_index, role_index, holder
