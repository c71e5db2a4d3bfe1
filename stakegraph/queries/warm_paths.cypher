// name: warm_paths
// description: The k most reliable warm channels from our owners (or one owner) to a
//   person: owner -RELATES-> person -TIE- ... -TIE- target with at most max_hops ties and
//   no person twice. Strength = relationship strength (six weighted scores / 5, times
//   0.5^(days since last contact, else since / half-life), times confidence) times, for
//   each tie, strength x confidence; parallel relationships or ties count with their
//   strongest. Same answer as stakegraph.analysis.paths.warm_channels.
// params:
//   workspace: str — workspace id
//   person: str — person id of the target official
//   as_of: date — analysis day (YYYY-MM-DD); recency decay counts to it
//   k: int = 3 — how many channels
//   owner: str = null — only channels from this owner id (default: every owner)
//   max_hops: int = 2 — most informal ties after the relationship (0 to 6)
//   half_life_days: float = 180 — recency half-life in days
//   w_acceptance: float = 1 — weight of the acceptance score
//   w_participation: float = 1 — weight of the participation score
//   w_information: float = 1 — weight of the information score
//   w_guidance: float = 1 — weight of the guidance score
//   w_support: float = 1 — weight of the support score
//   w_preference: float = 1 — weight of the preference score
// returns: rank, owner, owner_name, persons, person_names, strength, hops, links, relationship
MATCH (t:Person {workspace: $workspace, id: $person})
// Candidate tie chains first contact -> target, one branch per length, so the search
// never goes deeper than max_hops (a variable-length bound cannot be a parameter).
CALL (t) {
  RETURN [t] AS chain, [] AS ties
  UNION ALL
  MATCH q = (:Person)-[:TIE]-(t) WHERE $max_hops >= 1
  RETURN nodes(q) AS chain, relationships(q) AS ties
  UNION ALL
  MATCH q = (:Person)-[:TIE*2]-(t) WHERE $max_hops >= 2
  RETURN nodes(q) AS chain, relationships(q) AS ties
  UNION ALL
  MATCH q = (:Person)-[:TIE*3]-(t) WHERE $max_hops >= 3
  RETURN nodes(q) AS chain, relationships(q) AS ties
  UNION ALL
  MATCH q = (:Person)-[:TIE*4]-(t) WHERE $max_hops >= 4
  RETURN nodes(q) AS chain, relationships(q) AS ties
  UNION ALL
  MATCH q = (:Person)-[:TIE*5]-(t) WHERE $max_hops >= 5
  RETURN nodes(q) AS chain, relationships(q) AS ties
  UNION ALL
  MATCH q = (:Person)-[:TIE*6]-(t) WHERE $max_hops >= 6
  RETURN nodes(q) AS chain, relationships(q) AS ties
}
WITH chain, ties
WHERE all(i IN range(0, size(chain) - 2) WHERE NOT chain[i] IN chain[i + 1..])
WITH chain, ties, chain[0] AS first
MATCH (o:Owner)-[r:RELATES]->(first)
WHERE $owner IS NULL OR o.id = $owner
WITH o, r, chain, ties, coalesce(r.last_contact, r.since) AS contact, date($as_of) AS day
WITH o, r, chain, ties,
     ($w_acceptance * r.acceptance + $w_participation * r.participation
      + $w_information * r.information + $w_guidance * r.guidance
      + $w_support * r.support + $w_preference * r.preference)
     / (5.0 * ($w_acceptance + $w_participation + $w_information + $w_guidance
               + $w_support + $w_preference))
     * CASE WHEN contact IS NULL THEN 1.0
            ELSE 0.5 ^ (toFloat(CASE WHEN contact > day THEN 0
                                     ELSE duration.inDays(contact, day).days END)
                        / $half_life_days) END
     * coalesce(r.confidence, 1.0) AS rel_strength
WITH o, r, chain, rel_strength,
     [x IN ties | coalesce(x.strength, 0.5) * coalesce(x.confidence, 1.0)] AS tie_links
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
WITH i, found[i] AS c
RETURN i + 1 AS rank, c.o.id AS owner, c.o.name AS owner_name, c.persons AS persons,
       [p IN c.best.chain | p.name] AS person_names, c.best.strength AS strength,
       c.hops AS hops, c.best.links AS links, c.best.rel AS relationship
ORDER BY rank
