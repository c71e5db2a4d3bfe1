// name: warm_paths
// description: The k most reliable warm channels from our owners (or one owner) to a
//   person on a day: owner -RELATES-> person, then at most max_hops steps with no
//   person twice, each along an informal tie or, with formal_lines, along a reporting
//   or oversight line: a subordinate to their superior at strength `upward` (an
//   introduction or a report upward), a superior to their subordinate at `downward`
//   (a referral). Lines are those of influence_ranking (a post's holder -> the holder
//   of the nearest held post it reports to, past vacant posts; a bureau's leaders ->
//   the holder of the post overseeing it), dated lines counting from their `start`
//   until before their `end`. A step takes the strongest of the tie and the lines
//   between the two persons; a tie at least as strong as a line is the step used
//   (`steps` says tie, up or down). Strength = relationship strength (six weighted
//   scores / 5, times 0.5^(days since last contact, else since / half-life), times
//   confidence) times each step's strength (a tie: strength x confidence, read in the
//   direction of deference: a directed tie a -> b, a asks b, carries a step from a to
//   b at that and from b to a at that times against_deference, as [ties]
//   against_deference does; an undirected tie both ways alike); parallel
//   relationships count with their strongest, and parallel ties on a step with their
//   strongest (tie_strength max) or as 1 - the product of (1 - s) (noisy_or), as
//   [ties] strength does. Channels are ranked
//   by strength, then fewer formal steps, fewer hops, owner id and person ids.
//   Relationships and ties are taken as they stood on the day, as
//   stakegraph.graph.timeline.workspace_on does: a relationship or tie whose `since`
//   is after the day does not exist yet; each of the six scores is the one of the
//   latest Assessment of the same owner and person dated on or before the day that
//   gives it (by date, then id), else the relationship's own; the last contact is
//   the later of the relationship's `last_contact` and the latest Interaction dated
//   on or before the day that involves both. Persons go by the name in force on the
//   day. Same answer as stakegraph.analysis.paths.warm_channels on
//   build_network(workspace, as_of) with the same formal_lines. The search stays in
//   the target's neighbourhood: the persons within max_hops steps of it.
// params:
//   workspace: str — workspace id
//   person: str — person id of the target official
//   as_of: date — analysis day (YYYY-MM-DD); recency decay counts to it
//   k: int = 3 [1, 50] — how many channels
//   owner: str = null — only channels from this owner id (default: every owner)
//   max_hops: int = 2 [0, 6] — most steps after the relationship
//   formal_lines: bool = true — also step along reporting and oversight lines (false: informal ties only)
//   upward: float = 0.5 [0, 1] — strength of a step from a subordinate to their superior ([formal_lines] upward)
//   downward: float = 0.6 [0, 1] — strength of a step from a superior to their subordinate ([formal_lines] downward)
//   tie_strength: str = max {max|noisy_or} — how parallel ties on one step combine: the strongest, or 1 - product of (1 - s) ([ties] strength)
//   against_deference: float = 0.5 [0, 1] — share of a directed tie's strength kept by a step against it, from the one asked to the one who asks ([ties] against_deference)
//   half_life_days: float = 180 [1, 36500] — recency half-life in days
//   w_acceptance: float = 1 [0, 100] — weight of the acceptance score
//   w_participation: float = 1 [0, 100] — weight of the participation score
//   w_information: float = 1 [0, 100] — weight of the information score
//   w_guidance: float = 1 [0, 100] — weight of the guidance score
//   w_support: float = 1 [0, 100] — weight of the support score
//   w_preference: float = 1 [0, 100] — weight of the preference score
// example: workspace=smart-city person=zhou-weiran as_of=2026-11-28
// returns: rank, owner, owner_name, persons, person_names, strength, hops, links, relationship, steps
MATCH (t:Person {workspace: $workspace, id: $person})
WITH t, date($as_of) AS day
// The formal lines of the day as [subordinate, superior], as in influence_ranking.
WITH t, day, COLLECT {
  MATCH (post:Post {workspace: $workspace})-[up:REPORTS_TO]->(:Post)
  WHERE $formal_lines AND ($upward > 0 OR $downward > 0)
    AND (up.start IS NULL OR up.start <= day) AND (up.end IS NULL OR day < up.end)
  WITH DISTINCT post
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
  RETURN DISTINCT [p, boss] AS line
  UNION
  MATCH (overseer:Post {workspace: $workspace})-[ov:OVERSEES]->(org:Organisation)
  WHERE $formal_lines AND ($upward > 0 OR $downward > 0)
    AND (ov.start IS NULL OR ov.start <= day) AND (ov.end IS NULL OR day < ov.end)
  WITH DISTINCT overseer, org
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
  RETURN DISTINCT [leader, boss] AS line
} AS lines
// The neighbourhood: the persons within max_hops steps of the target, breadth first
// (ties that exist on the day, either way, and lines either way), the target first.
WITH t, day, lines,
     reduce(acc = {ball: [t], frontier: [t]}, h IN range(1, $max_hops) |
       // each level's lists are copied flat: a list grown by appending is slow to read
       [level IN [reduce(next = {ball: acc.ball, frontier: []}, v IN acc.frontier |
         reduce(grown = next, w IN
             [(v)-[x:TIE WHERE x.since IS NULL OR x.since <= day]-(w:Person) | w]
             + [l IN lines WHERE l[1] = v | l[0]] + [l IN lines WHERE l[0] = v | l[1]] |
           CASE WHEN w IN grown.ball THEN grown
                ELSE {ball: grown.ball + w, frontier: grown.frontier + w} END))]
        | {ball: [p IN level.ball | p], frontier: [p IN level.frontier | p]}][0]).ball AS ball
// The steps into each person of it from another: the strongest tie (strength x
// confidence), replaced by the line up from a subordinate, then by the line down from
// a superior, where the line is strictly stronger; into[i] holds the steps into ball[i].
UNWIND range(0, size(ball) - 1) AS i
WITH t, day, lines, ball, i, ball[i] AS v
WITH t, day, ball, i, COLLECT {
  CALL (v, ball, lines, day) {
    MATCH (v)-[x:TIE WHERE x.since IS NULL OR x.since <= day]-(w:Person)
    WHERE w <> v AND w IN ball
    // A directed tie is stored asker -> asked: a step into the asker (v) goes
    // against the direction of deference and keeps against_deference of the strength.
    RETURN w, coalesce(x.strength, 0.5) * coalesce(x.confidence, 1.0)
              * CASE WHEN coalesce(x.directed, false) AND startNode(x) = v
                     THEN $against_deference ELSE 1.0 END AS tie, 0 AS up, 0 AS down
    UNION ALL
    UNWIND [l IN lines WHERE l[1] = v | l[0]] AS w
    WITH w WHERE w IN ball
    RETURN w, 0.0 AS tie, 1 AS up, 0 AS down
    UNION ALL
    UNWIND [l IN lines WHERE l[0] = v | l[1]] AS w
    WITH w WHERE w IN ball
    RETURN w, 0.0 AS tie, 0 AS up, 1 AS down
  }
  WITH w, collect(tie) AS ties, max(up) = 1 AS up, max(down) = 1 AS down
  // a line's row adds a tie of 0, which changes neither the strongest nor the product
  WITH w, up, down,
       CASE WHEN $tie_strength = 'noisy_or'
            THEN 1.0 - reduce(missed = 1.0, s IN ties | missed * (1.0 - s))
            ELSE reduce(best = 0.0, s IN ties | CASE WHEN s > best THEN s ELSE best END)
       END AS tie
  WITH w, down, CASE WHEN up AND $upward > tie THEN [$upward, 'up'] ELSE [tie, 'tie'] END AS best
  WITH w, CASE WHEN down AND $downward > best[0] THEN [$downward, 'down'] ELSE best END AS step
  WHERE step[0] > 0
  RETURN {w: w, s: step[0], kind: step[1]}
} AS steps_in
ORDER BY i
WITH t, day, ball, collect(steps_in) AS into
// Every simple chain of at most max_hops steps into the target, walked back from it:
// p holds its persons from the target, s and k each step's strength and kind.
WITH day, ball, reduce(acc = {all: [{p: [t], s: [], k: []}], frontier: [{p: [t], s: [], k: []}]},
                      h IN range(1, $max_hops) |
       reduce(next = {all: acc.all, frontier: []}, c IN acc.frontier |
         reduce(grown = next, e IN [e IN into[[j IN range(0, size(ball) - 1)
                                                WHERE ball[j] = last(c.p)][0]]
                                    WHERE NOT e.w IN c.p] |
           {all: grown.all + [{p: c.p + e.w, s: c.s + e.s, k: c.k + e.kind}],
            frontier: grown.frontier + [{p: c.p + e.w, s: c.s + e.s, k: c.k + e.kind}]}))).all AS found
UNWIND found AS c
WITH day, reverse(c.p) AS chain, reverse(c.s) AS step_links, reverse(c.k) AS kinds
// Grouped by first contact, so each relationship is taken as of the day only once.
WITH chain[0] AS first, collect([chain, step_links, kinds]) AS routes, day
MATCH (o:Owner)-[r:RELATES]->(first)
WHERE ($owner IS NULL OR o.id = $owner) AND (r.since IS NULL OR r.since <= day)
// The relationship on the day: re-assessments newest first, the latest logged contact.
WITH o, r, routes, day,
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
WITH o, r, routes, day, {
       acceptance: coalesce([a IN assessed WHERE a.acceptance IS NOT NULL | a.acceptance][0], r.acceptance),
       participation: coalesce([a IN assessed WHERE a.participation IS NOT NULL | a.participation][0], r.participation),
       information: coalesce([a IN assessed WHERE a.information IS NOT NULL | a.information][0], r.information),
       guidance: coalesce([a IN assessed WHERE a.guidance IS NOT NULL | a.guidance][0], r.guidance),
       support: coalesce([a IN assessed WHERE a.support IS NOT NULL | a.support][0], r.support),
       preference: coalesce([a IN assessed WHERE a.preference IS NOT NULL | a.preference][0], r.preference),
       last_contact: CASE WHEN logged IS NOT NULL AND (r.last_contact IS NULL OR logged > r.last_contact)
                          THEN logged ELSE r.last_contact END
     } AS now
WITH o, r, routes, now, coalesce(now.last_contact, r.since) AS contact, day
WITH o, r, routes,
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
UNWIND routes AS route
WITH o, r, route[0] AS chain, [rel_strength] + route[1] AS links, route[2] AS kinds
WITH o, r, chain, links, kinds, reduce(s = links[0], x IN links[1..] | s * x) AS strength
WHERE strength > 0
// Parallel relationships or ties: keep the strongest version of each channel.
ORDER BY strength DESC, r.id
WITH o, [p IN chain | p.id] AS persons, kinds,
     collect({chain: chain, links: links, strength: strength, rel: r.id})[0] AS best
WITH o, persons, kinds, best, size(persons) - 1 AS hops,
     size([x IN kinds WHERE x <> 'tie']) AS formal_steps
ORDER BY best.strength DESC, formal_steps, hops, o.id, persons
LIMIT $k
WITH collect({o: o, persons: persons, best: best, hops: hops, kinds: kinds}) AS found
UNWIND range(0, size(found) - 1) AS i
WITH i, found[i] AS c, date($as_of) AS day
RETURN i + 1 AS rank, c.o.id AS owner, c.o.name AS owner_name, c.persons AS persons,
       // the names in force on the day: the first dated name that holds, else the name
       [p IN c.best.chain |
        coalesce([k IN range(0, size(coalesce(p.name_history, [])) - 1)
                  WHERE (p.name_starts[k] = '' OR date(p.name_starts[k]) <= day)
                    AND (p.name_ends[k] = '' OR day < date(p.name_ends[k]))
                  | p.name_history[k]][0], p.name)] AS person_names,
       c.best.strength AS strength,
       c.hops AS hops, c.best.links AS links, c.best.rel AS relationship,
       c.kinds AS steps
ORDER BY rank
