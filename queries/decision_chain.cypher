// name: decision_chain
// description: An opportunity's decision chain on a day: every step in order, every
//   role, who holds it (a post resolves to its holders on the day, tenure end
//   exclusive; a vacant post is one row with a null holder; co-holders by id) and each
//   holder's best direct cover (strongest relationship of any owner; ties to the
//   smaller owner id). Same as stakegraph.graph.chains.resolve_chain plus direct cover.
//   Relationships are taken as they stood on the day, as
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
// returns: step_index, step, step_name, role_index, role, weight, share, stance, competitor_leaning, post, post_title, holder, holder_name, vacant, direct_cover, direct_owner
MATCH (:Opportunity {workspace: $workspace, id: $opportunity})<-[so:STEP_OF]-(s:Step)
MATCH (h)-[ro:ROLE]->(s)
WITH date($as_of) AS day, so.order AS step_index, s, ro, h
WITH day, step_index, s, ro, h,
     CASE WHEN h:Person THEN [h]
          ELSE COLLECT {
            MATCH (p:Person)-[hd:HOLDS]->(h)
            WHERE (hd.start IS NULL OR hd.start <= day) AND (hd.end IS NULL OR day < hd.end)
            RETURN p ORDER BY p.id
          } END AS holders
UNWIND CASE WHEN size(holders) = 0 THEN [null] ELSE holders END AS holder
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
RETURN step_index, s.step AS step, s.name AS step_name, ro.order AS role_index,
       ro.role AS role, ro.weight AS weight, ro.weight / toFloat(CASE size(holders) WHEN 0 THEN 1 ELSE size(holders) END) AS share,
       ro.stance AS stance, ro.competitor_leaning AS competitor_leaning,
       CASE WHEN h:Post THEN h.id END AS post, CASE WHEN h:Post THEN h.title END AS post_title,
       holder.id AS holder, holder.name AS holder_name, holder IS NULL AS vacant,
       coalesce(best[1], 0.0) AS direct_cover, best[0] AS direct_owner
ORDER BY step_index, role_index, holder
