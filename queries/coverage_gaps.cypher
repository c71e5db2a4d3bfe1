// name: coverage_gaps
// description: The coverage gaps of an opportunity's chain that follow from lookups
//   and the warm cover, holder by holder in chain order: UNCOVERED (no relationship and
//   no warm path), WEAK (cover below weak_threshold), STALE (latest contact older than
//   stale_days, or none recorded), NO_OWNER (no responsible relationship), OPPONENT
//   (opponent stance or competitor leaning, cover below strong_threshold), VACANT (post
//   with no holder), UNKNOWN_HOLDER (a role whose holder is not known yet, 人选未明:
//   its ROLE starts at an Organisation; no person, no post, cover 0) and ROTATED (new
//   holder, our relationship is with a predecessor, no contact since the start). Cover is the best of direct relationships and warm
//   paths of at most max_hops ties, as in stakegraph.analysis.coverage. SINGLE_THREADED,
//   RANK_MISMATCH and the severity of each gap (which needs influence) come from the
//   Python engine (stakegraph gaps). Relationships and ties are taken as they stood on
//   the day, as stakegraph.graph.timeline.workspace_on does: a relationship or tie
//   whose `since` is after the day does not exist yet (for cover, STALE, NO_OWNER and
//   the predecessor of ROTATED alike); each of the six scores is the one of the latest
//   Assessment of the same owner and person dated on or before the day that gives it
//   (by date, then id), else the relationship's own; the last contact (recency, STALE,
//   ROTATED) is the later of the relationship's `last_contact` and the latest
//   Interaction dated on or before the day that involves both. The chain resolves as
//   in decision_chain: a role on a post that ceased in a reform falls on the live
//   posts that stand for it (role_index counts the resolved roles), a post that does
//   not exist that day gives no row, a holder on leave does not hold the post, and
//   names are those in force on the day.
// params:
//   workspace: str — workspace id
//   opportunity: str — opportunity id
//   as_of: date — analysis day (YYYY-MM-DD)
//   max_hops: int = 2 [0, 6] — most informal ties on a warm path
//   weak_threshold: float = 0.4 [0, 1] — cover below this is WEAK
//   strong_threshold: float = 0.6 [0, 1] — an opponent covered below this is OPPONENT
//   stale_days: int = 90 [1, 36500] — days without contact after which a relationship is STALE
//   half_life_days: float = 180 [1, 36500] — recency half-life in days
//   w_acceptance: float = 1 [0, 100] — weight of the acceptance score
//   w_participation: float = 1 [0, 100] — weight of the participation score
//   w_information: float = 1 [0, 100] — weight of the information score
//   w_guidance: float = 1 [0, 100] — weight of the guidance score
//   w_support: float = 1 [0, 100] — weight of the support score
//   w_preference: float = 1 [0, 100] — weight of the preference score
// example: workspace=smart-city opportunity=smart-city as_of=2026-11-28
// returns: step_index, step, step_name, role_index, kind, person, person_name, post, cover, owner, last_contact
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
            roles + [post IN r.posts | {ro: r.ro, h: r.h, post: post}]) AS roles
UNWIND range(0, size(roles) - 1) AS role_index
WITH day, step_index, s, role_index, roles[role_index] AS resolved
WITH day, step_index, s, role_index, resolved.ro AS ro, resolved.h AS h,
     resolved.post AS post
WITH day, step_index, s, role_index, ro, h, post,
     CASE WHEN h:Person THEN [h]
          ELSE COLLECT {
            MATCH (p:Person)-[hd:HOLDS]->(post)
            WHERE (hd.start IS NULL OR hd.start <= day) AND (hd.end IS NULL OR day < hd.end)
              AND NOT coalesce(hd.on_leave, false)
            RETURN p ORDER BY p.id
          } END AS holders
UNWIND CASE WHEN size(holders) = 0 THEN [null] ELSE holders END AS holder
WITH day, step_index, s, role_index, ro, coalesce(post, h) AS h, holder
// cover: the most reliable channel owner -> ... -> holder on the day, as in warm_paths
CALL (holder, day) {
  WITH holder WHERE holder IS NOT NULL
  CALL (holder, day) {
    RETURN [holder] AS chain, [] AS ties
    UNION ALL
    MATCH q = (:Person) (()-[x:TIE WHERE x.since IS NULL OR x.since <= day]-()){1} (holder)
    WHERE $max_hops >= 1
    RETURN nodes(q) AS chain, relationships(q) AS ties
    UNION ALL
    MATCH q = (:Person) (()-[x:TIE WHERE x.since IS NULL OR x.since <= day]-()){2} (holder)
    WHERE $max_hops >= 2
    RETURN nodes(q) AS chain, relationships(q) AS ties
    UNION ALL
    MATCH q = (:Person) (()-[x:TIE WHERE x.since IS NULL OR x.since <= day]-()){3} (holder)
    WHERE $max_hops >= 3
    RETURN nodes(q) AS chain, relationships(q) AS ties
    UNION ALL
    MATCH q = (:Person) (()-[x:TIE WHERE x.since IS NULL OR x.since <= day]-()){4} (holder)
    WHERE $max_hops >= 4
    RETURN nodes(q) AS chain, relationships(q) AS ties
    UNION ALL
    MATCH q = (:Person) (()-[x:TIE WHERE x.since IS NULL OR x.since <= day]-()){5} (holder)
    WHERE $max_hops >= 5
    RETURN nodes(q) AS chain, relationships(q) AS ties
    UNION ALL
    MATCH q = (:Person) (()-[x:TIE WHERE x.since IS NULL OR x.since <= day]-()){6} (holder)
    WHERE $max_hops >= 6
    RETURN nodes(q) AS chain, relationships(q) AS ties
  }
  WITH chain, ties, day
  WHERE all(i IN range(0, size(chain) - 2) WHERE NOT chain[i] IN chain[i + 1..])
  // Grouped by first contact, so each relationship is taken as of the day only once.
  WITH chain[0] AS first, collect(ties) AS routes, day
  MATCH (o:Owner)-[r:RELATES]->(first)
  WHERE r.since IS NULL OR r.since <= day
  // The relationship on the day: re-assessments newest first, the latest logged contact.
  WITH r, routes, day,
       COLLECT {
         MATCH (a:Assessment)-[:ASSESSED_BY]->(o)
         MATCH (a)-[:ASSESSES]->(first)
         WHERE a.date <= day
         RETURN a ORDER BY a.date DESC, a.id DESC
       } AS assessed,
       COLLECT {
         MATCH (i:Interaction)-[:INVOLVES]->(o)
         MATCH (i)-[:INVOLVES]->(first)
         WHERE i.date <= day
         RETURN i.date ORDER BY i.date DESC LIMIT 1
       }[0] AS logged
  WITH r, routes, day, {
         acceptance: coalesce([a IN assessed WHERE a.acceptance IS NOT NULL | a.acceptance][0], r.acceptance),
         participation: coalesce([a IN assessed WHERE a.participation IS NOT NULL | a.participation][0], r.participation),
         information: coalesce([a IN assessed WHERE a.information IS NOT NULL | a.information][0], r.information),
         guidance: coalesce([a IN assessed WHERE a.guidance IS NOT NULL | a.guidance][0], r.guidance),
         support: coalesce([a IN assessed WHERE a.support IS NOT NULL | a.support][0], r.support),
         preference: coalesce([a IN assessed WHERE a.preference IS NOT NULL | a.preference][0], r.preference),
         last_contact: CASE WHEN logged IS NOT NULL AND (r.last_contact IS NULL OR logged > r.last_contact)
                            THEN logged ELSE r.last_contact END
       } AS now
  WITH r, routes, now, coalesce(now.last_contact, r.since) AS contact, day
  WITH routes,
       ($w_acceptance * now.acceptance + $w_participation * now.participation
        + $w_information * now.information + $w_guidance * now.guidance
        + $w_support * now.support + $w_preference * now.preference)
       / (5.0 * ($w_acceptance + $w_participation + $w_information + $w_guidance
                 + $w_support + $w_preference))
       * CASE WHEN contact IS NULL THEN 1.0
              ELSE 0.5 ^ (toFloat(CASE WHEN contact > day THEN 0
                                       ELSE duration.inDays(contact, day).days END)
                          / $half_life_days) END
       * coalesce(r.confidence, 1.0) AS rel_strength
  UNWIND routes AS ties
  RETURN max(reduce(s = rel_strength, x IN ties | s * (x.strength * x.confidence))) AS best
}
// what our relationships with the holder say on the day
CALL (holder, day) {
  OPTIONAL MATCH (o:Owner)-[r:RELATES]->(holder)
  WHERE r.since IS NULL OR r.since <= day
  WITH o, r, day,
       COLLECT {
         MATCH (i:Interaction)-[:INVOLVES]->(o)
         MATCH (i)-[:INVOLVES]->(holder)
         WHERE i.date <= day
         RETURN i.date ORDER BY i.date DESC LIMIT 1
       }[0] AS logged
  WITH o, r, day,
       CASE WHEN logged IS NOT NULL AND (r.last_contact IS NULL OR logged > r.last_contact)
            THEN logged ELSE r.last_contact END AS last_contact
  WITH o, r, last_contact, day ORDER BY coalesce(last_contact, day) DESC, o.id
  RETURN count(r) AS relationships, max(last_contact) AS last_contact,
         count(CASE WHEN r.responsible THEN 1 END) > 0 AS responsible,
         collect(o.id)[0] AS latest_owner
}
// ROTATED: the holder took the post over from someone we related to, and none of us
// has been in contact with the holder since the start. A post a reform gave the holder
// counts the holders of its predecessors before them, and a holder who went on across
// a reform starts when they first held the line of posts (lineage.career_start); with
// predecessor posts the start is the later of that and the last predecessor's leaving.
CALL (holder, h, day) {
  OPTIONAL MATCH (holder)-[mine:HOLDS]->(h:Post)
  WHERE (mine.start IS NULL OR mine.start <= day) AND (mine.end IS NULL OR day < mine.end)
  // back across each reform on which the holder left a predecessor and took this line on
  OPTIONAL MATCH back = (h)<-[:SUCCEEDED_BY]-*(origin:Post)
  WHERE mine IS NOT NULL
    AND (size(relationships(back)) = 0 OR relationships(back)[0].day = mine.start)
    AND all(x IN relationships(back) WHERE
          EXISTS { MATCH (holder)-[left:HOLDS]->(gone) WHERE gone = startNode(x) AND left.end = x.day }
          AND EXISTS { MATCH (holder)-[took:HOLDS]->(next) WHERE next = endNode(x) AND took.start = x.day })
  WITH holder, h, day,
       min(CASE WHEN size(relationships(back)) = 0 THEN mine.start
                ELSE COLLECT {
                  MATCH (holder)-[first:HOLDS]->(origin)
                  WHERE first.end = last(relationships(back)).day
                  RETURN first.start
                }[0] END) AS start
  OPTIONAL MATCH (h)<-[:SUCCEEDED_BY]-*(earlier:Post)<-[old:HOLDS]-(before:Person)
  WHERE start IS NOT NULL AND before <> holder AND old.end IS NOT NULL AND old.end <= day
  WITH DISTINCT holder, h, day, start, old, before
  WITH holder, h, day, start,
       collect(CASE WHEN old IS NULL THEN null ELSE {left: old.end, who: before} END) AS gone
  WITH holder, day, gone,
       CASE WHEN EXISTS { MATCH (h)<-[:SUCCEEDED_BY]-(:Post) }
            THEN reduce(m = start, g IN gone | CASE WHEN g.left > m THEN g.left ELSE m END)
            ELSE start END AS start
  RETURN size(gone) > 0
    AND any(g IN gone WHERE EXISTS {
          MATCH (:Owner)-[b:RELATES]->(known:Person)
          WHERE known = g.who AND (b.since IS NULL OR b.since <= day) })
    AND NOT EXISTS {
      MATCH (o:Owner)-[c:RELATES]->(holder)
      WHERE (c.since IS NULL OR c.since <= day)
        AND (c.last_contact >= start
             OR EXISTS {
               MATCH (i:Interaction)-[:INVOLVES]->(o)
               MATCH (i)-[:INVOLVES]->(holder)
               WHERE start <= i.date <= day
             })
    } AS rotated
}
WITH step_index, s, role_index, ro, h, holder, coalesce(best, 0.0) AS cover, relationships,
     last_contact, responsible, latest_owner, rotated, day
WITH step_index, s, role_index, ro, h, holder, cover, last_contact, latest_owner, day,
     CASE WHEN h:Organisation THEN ['UNKNOWN_HOLDER']
          WHEN holder IS NULL THEN ['VACANT']
     ELSE
       CASE WHEN cover <= 0 THEN ['UNCOVERED']
            WHEN cover < $weak_threshold THEN ['WEAK'] ELSE [] END
       + CASE WHEN relationships > 0
                   AND (last_contact IS NULL
                        OR duration.inDays(last_contact, day).days > $stale_days)
              THEN ['STALE'] ELSE [] END
       + CASE WHEN NOT responsible THEN ['NO_OWNER'] ELSE [] END
       + CASE WHEN (ro.stance = 'opponent' OR coalesce(ro.competitor_leaning, '') <> '')
                   AND cover < $strong_threshold THEN ['OPPONENT'] ELSE [] END
       + CASE WHEN rotated THEN ['ROTATED'] ELSE [] END
     END AS kinds
UNWIND kinds AS kind
RETURN step_index, s.step AS step, s.name AS step_name, role_index, kind,
       holder.id AS person,
       // the name in force on the day: the first dated name that holds, else the name
       coalesce([i IN range(0, size(coalesce(holder.name_history, [])) - 1)
                 WHERE (holder.name_starts[i] = '' OR date(holder.name_starts[i]) <= day)
                   AND (holder.name_ends[i] = '' OR day < date(holder.name_ends[i]))
                 | holder.name_history[i]][0], holder.name) AS person_name,
       CASE WHEN h:Post THEN h.id END AS post, cover,
       CASE kind WHEN 'STALE' THEN latest_owner END AS owner,
       CASE kind WHEN 'STALE' THEN last_contact END AS last_contact
ORDER BY step_index, role_index, person,
         CASE kind WHEN 'UNCOVERED' THEN 0 WHEN 'WEAK' THEN 1 WHEN 'STALE' THEN 2
                   WHEN 'NO_OWNER' THEN 3 WHEN 'OPPONENT' THEN 6 WHEN 'VACANT' THEN 7
                   WHEN 'UNKNOWN_HOLDER' THEN 8 ELSE 9 END
