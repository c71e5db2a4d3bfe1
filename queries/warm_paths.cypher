// name: warm_paths
// description: The k most reliable warm channels from our owners (or one owner) to a
//   person on a day: owner -RELATES-> person -TIE- ... -TIE- target with at most
//   max_hops ties and no person twice. Strength = relationship strength (six weighted
//   scores / 5, times 0.5^(days since last contact, else since / half-life), times
//   confidence) times, for each tie, strength x confidence; parallel relationships or
//   ties count with their strongest. Relationships and ties are taken as they stood on
//   the day, as stakegraph.graph.timeline.workspace_on does: a relationship or tie
//   whose `since` is after the day does not exist yet; each of the six scores is the
//   one of the latest Assessment of the same owner and person dated on or before the
//   day that gives it (by date, then id), else the relationship's own; the last
//   contact is the later of the relationship's `last_contact` and the latest
//   Interaction dated on or before the day that involves both. Persons go by the name
//   in force on the day. Same answer as
//   stakegraph.analysis.paths.warm_channels on build_network(workspace, as_of) with
//   formal_lines=False (informal ties only; the paths command also steps along
//   reporting and oversight lines).
// params:
//   workspace: str — workspace id
//   person: str — person id of the target official
//   as_of: date — analysis day (YYYY-MM-DD); recency decay counts to it
//   k: int = 3 [1, 50] — how many channels
//   owner: str = null — only channels from this owner id (default: every owner)
//   max_hops: int = 2 [0, 6] — most informal ties after the relationship
//   half_life_days: float = 180 [1, 36500] — recency half-life in days
//   w_acceptance: float = 1 [0, 100] — weight of the acceptance score
//   w_participation: float = 1 [0, 100] — weight of the participation score
//   w_information: float = 1 [0, 100] — weight of the information score
//   w_guidance: float = 1 [0, 100] — weight of the guidance score
//   w_support: float = 1 [0, 100] — weight of the support score
//   w_preference: float = 1 [0, 100] — weight of the preference score
// example: workspace=smart-city person=zhou-weiran as_of=2026-11-28
// returns: rank, owner, owner_name, persons, person_names, strength, hops, links, relationship
MATCH (t:Person {workspace: $workspace, id: $person})
WITH t, date($as_of) AS day
// Candidate tie chains first contact -> target, one branch per length, so the search
// never goes deeper than max_hops (a variable-length bound cannot be a parameter).
// Only ties that exist on the day are walked (the inline WHERE prunes the search).
CALL (t, day) {
  RETURN [t] AS chain, [] AS ties
  UNION ALL
  MATCH q = (:Person) (()-[x:TIE WHERE x.since IS NULL OR x.since <= day]-()){1} (t)
  WHERE $max_hops >= 1
  RETURN nodes(q) AS chain, relationships(q) AS ties
  UNION ALL
  MATCH q = (:Person) (()-[x:TIE WHERE x.since IS NULL OR x.since <= day]-()){2} (t)
  WHERE $max_hops >= 2
  RETURN nodes(q) AS chain, relationships(q) AS ties
  UNION ALL
  MATCH q = (:Person) (()-[x:TIE WHERE x.since IS NULL OR x.since <= day]-()){3} (t)
  WHERE $max_hops >= 3
  RETURN nodes(q) AS chain, relationships(q) AS ties
  UNION ALL
  MATCH q = (:Person) (()-[x:TIE WHERE x.since IS NULL OR x.since <= day]-()){4} (t)
  WHERE $max_hops >= 4
  RETURN nodes(q) AS chain, relationships(q) AS ties
  UNION ALL
  MATCH q = (:Person) (()-[x:TIE WHERE x.since IS NULL OR x.since <= day]-()){5} (t)
  WHERE $max_hops >= 5
  RETURN nodes(q) AS chain, relationships(q) AS ties
  UNION ALL
  MATCH q = (:Person) (()-[x:TIE WHERE x.since IS NULL OR x.since <= day]-()){6} (t)
  WHERE $max_hops >= 6
  RETURN nodes(q) AS chain, relationships(q) AS ties
}
WITH chain, ties, day
WHERE all(i IN range(0, size(chain) - 2) WHERE NOT chain[i] IN chain[i + 1..])
// Grouped by first contact, so each relationship is taken as of the day only once.
WITH chain[0] AS first, collect([chain, ties]) AS routes, day
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
WITH o, r, route[0] AS chain, rel_strength,
     [x IN route[1] | coalesce(x.strength, 0.5) * coalesce(x.confidence, 1.0)] AS tie_links
WITH o, r, chain, [rel_strength] + tie_links AS links
WITH o, r, chain, links, reduce(s = links[0], x IN links[1..] | s * x) AS strength
WHERE strength > 0
// Parallel relationships or ties: keep the strongest version of each channel.
ORDER BY strength DESC, r.id
WITH o, [p IN chain | p.id] AS persons, collect({chain: chain, links: links, strength: strength, rel: r.id})[0] AS best
WITH o, persons, best, size(persons) - 1 AS hops
ORDER BY best.strength DESC, hops, o.id, persons
LIMIT $k
WITH collect({o: o, persons: persons, best: best, hops: hops}) AS found
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
       c.hops AS hops, c.best.links AS links, c.best.rel AS relationship
ORDER BY rank
