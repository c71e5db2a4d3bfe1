// name: owner_portfolio
// description: One owner's relationships, strongest first, with the level the scores
//   indicate, whether the owner is responsible for the person (责任到人), and on every
//   row the owner's count of responsible relationships against their capacity.
// params:
//   workspace: str — workspace id
//   owner: str — owner id
//   as_of: date — analysis day (YYYY-MM-DD)
//   half_life_days: float = 180 — recency half-life in days
//   w_acceptance: float = 1 — weight of the acceptance score
//   w_participation: float = 1 — weight of the participation score
//   w_information: float = 1 — weight of the information score
//   w_guidance: float = 1 — weight of the guidance score
//   w_support: float = 1 — weight of the support score
//   w_preference: float = 1 — weight of the preference score
//   level_preferred: float = 2 — mean score from which a relationship is preferred
//   level_partner: float = 3 — mean score from which it is partner
//   level_strategic: float = 4 — mean score from which it is strategic
//   strategic_min_support: float = 4 — support a strategic relationship also needs
//   strategic_min_preference: float = 4 — preference a strategic relationship also needs
// returns: person, person_name, relationship, strength, level, responsible, last_contact, responsible_count, capacity, over_capacity
MATCH (o:Owner {workspace: $workspace, id: $owner})
WITH o, COUNT { (o)-[x:RELATES]->(:Person) WHERE x.responsible } AS responsible_count
MATCH (o)-[r:RELATES]->(p:Person)
WITH o, responsible_count, p, r, coalesce(r.last_contact, r.since) AS contact,
     date($as_of) AS day,
     (r.acceptance + r.participation + r.information + r.guidance + r.support
      + r.preference) / 6.0 AS mean
WITH o, responsible_count, p, r, mean,
     ($w_acceptance * r.acceptance + $w_participation * r.participation
      + $w_information * r.information + $w_guidance * r.guidance
      + $w_support * r.support + $w_preference * r.preference)
     / (5.0 * ($w_acceptance + $w_participation + $w_information + $w_guidance
               + $w_support + $w_preference))
     * CASE WHEN contact IS NULL THEN 1.0
            ELSE 0.5 ^ (toFloat(CASE WHEN contact > day THEN 0
                                     ELSE duration.inDays(contact, day).days END)
                        / $half_life_days) END
     * coalesce(r.confidence, 1.0) AS strength
RETURN p.id AS person, p.name AS person_name, r.id AS relationship, strength,
       CASE WHEN mean < $level_preferred THEN 'vendor'
            WHEN mean < $level_partner THEN 'preferred'
            WHEN mean < $level_strategic THEN 'partner'
            WHEN r.support >= $strategic_min_support
                 AND r.preference >= $strategic_min_preference THEN 'strategic'
            ELSE 'partner' END AS level,
       coalesce(r.responsible, false) AS responsible, r.last_contact AS last_contact,
       responsible_count, o.capacity AS capacity, responsible_count > o.capacity AS over_capacity
ORDER BY strength DESC, person, relationship
