// name: who_covers
// description: Our owners with a relationship to one person, strongest first: the
//   relationship's strength on the day (as stakegraph.analysis.strength
//   relationship_strength), the level its six scores indicate, the level the owner
//   stated, and whether the owner is the person's responsible owner (责任到人).
// params:
//   workspace: str — workspace id
//   person: str — person id of the official
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
// returns: owner, owner_name, tier, relationship, strength, level, stated_level, responsible, last_contact
MATCH (o:Owner)-[r:RELATES]->(:Person {workspace: $workspace, id: $person})
WITH o, r, coalesce(r.last_contact, r.since) AS contact, date($as_of) AS day,
     (r.acceptance + r.participation + r.information + r.guidance + r.support
      + r.preference) / 6.0 AS mean
WITH o, r, mean,
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
RETURN o.id AS owner, o.name AS owner_name, o.tier AS tier, r.id AS relationship, strength,
       CASE WHEN mean < $level_preferred THEN 'vendor'
            WHEN mean < $level_partner THEN 'preferred'
            WHEN mean < $level_strategic THEN 'partner'
            WHEN r.support >= $strategic_min_support
                 AND r.preference >= $strategic_min_preference THEN 'strategic'
            ELSE 'partner' END AS level,
       r.level AS stated_level, coalesce(r.responsible, false) AS responsible,
       r.last_contact AS last_contact
ORDER BY strength DESC, owner, relationship
