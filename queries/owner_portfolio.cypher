// name: owner_portfolio
// description: One owner's relationships on a day, strongest first, with the level the
//   scores indicate, whether the owner is responsible for the person (责任到人), and
//   on every row the owner's count of responsible relationships against their
//   capacity. Relationships are taken as they stood on the day, as
//   stakegraph.graph.timeline.workspace_on does: one whose `since` is after the
//   day does not exist yet (and does not count towards the load); each of the six
//   scores is the one of the latest Assessment of the same owner and person dated on
//   or before the day that gives it (by date, then id), else the relationship's own;
//   the last contact is the later of the relationship's `last_contact` and the latest
//   Interaction dated on or before the day that involves both, and recency decays
//   from it (from `since` when neither is known). Persons go by the name in force on
//   the day.
// params:
//   workspace: str — workspace id
//   owner: str — owner id
//   as_of: date — analysis day (YYYY-MM-DD)
//   half_life_days: float = 180 [1, 36500] — recency half-life in days
//   w_acceptance: float = 1 [0, 100] — weight of the acceptance score
//   w_participation: float = 1 [0, 100] — weight of the participation score
//   w_information: float = 1 [0, 100] — weight of the information score
//   w_guidance: float = 1 [0, 100] — weight of the guidance score
//   w_support: float = 1 [0, 100] — weight of the support score
//   w_preference: float = 1 [0, 100] — weight of the preference score
//   level_preferred: float = 2 [0, 5] — mean score from which a relationship is preferred
//   level_partner: float = 3 [0, 5] — mean score from which it is partner
//   level_strategic: float = 4 [0, 5] — mean score from which it is strategic
//   strategic_min_support: float = 4 [0, 5] — support a strategic relationship also needs
//   strategic_min_preference: float = 4 [0, 5] — preference a strategic relationship also needs
// example: workspace=smart-city owner=liu-kai as_of=2026-11-28
// returns: person, person_name, relationship, strength, level, responsible, last_contact, responsible_count, capacity, over_capacity
MATCH (o:Owner {workspace: $workspace, id: $owner})
WITH o, date($as_of) AS day
WITH o, day,
     COUNT { (o)-[x:RELATES]->(:Person) WHERE x.responsible AND (x.since IS NULL OR x.since <= day) }
       AS responsible_count
MATCH (o)-[r:RELATES]->(p:Person)
WHERE r.since IS NULL OR r.since <= day
// The relationship on the day: re-assessments newest first, the latest logged contact.
WITH o, responsible_count, p, r, day,
     COLLECT {
       MATCH (a:Assessment)-[:ASSESSED_BY]->(o)
       MATCH (a)-[:ASSESSES]->(p)
       WHERE a.date <= day
       RETURN a ORDER BY a.date DESC, a.id DESC
     } AS assessed,
     COLLECT {
       MATCH (i:Interaction)-[:INVOLVES]->(o)
       MATCH (i)-[:INVOLVES]->(p)
       WHERE i.date <= day
       RETURN i.date ORDER BY i.date DESC LIMIT 1
     }[0] AS logged
WITH o, responsible_count, p, r, day, {
       acceptance: coalesce([a IN assessed WHERE a.acceptance IS NOT NULL | a.acceptance][0], r.acceptance),
       participation: coalesce([a IN assessed WHERE a.participation IS NOT NULL | a.participation][0], r.participation),
       information: coalesce([a IN assessed WHERE a.information IS NOT NULL | a.information][0], r.information),
       guidance: coalesce([a IN assessed WHERE a.guidance IS NOT NULL | a.guidance][0], r.guidance),
       support: coalesce([a IN assessed WHERE a.support IS NOT NULL | a.support][0], r.support),
       preference: coalesce([a IN assessed WHERE a.preference IS NOT NULL | a.preference][0], r.preference),
       last_contact: CASE WHEN logged IS NOT NULL AND (r.last_contact IS NULL OR logged > r.last_contact)
                          THEN logged ELSE r.last_contact END
     } AS now
WITH o, responsible_count, p, r, now, coalesce(now.last_contact, r.since) AS contact, day,
     (now.acceptance + now.participation + now.information + now.guidance + now.support
      + now.preference) / 6.0 AS mean
WITH o, responsible_count, p, r, now, mean,
     // the name in force on the day: the first dated name that holds, else the name
     coalesce([i IN range(0, size(coalesce(p.name_history, [])) - 1)
               WHERE (p.name_starts[i] = '' OR date(p.name_starts[i]) <= day)
                 AND (p.name_ends[i] = '' OR day < date(p.name_ends[i]))
               | p.name_history[i]][0], p.name) AS person_name,
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
RETURN p.id AS person, person_name, r.id AS relationship, strength,
       CASE WHEN mean < $level_preferred THEN 'vendor'
            WHEN mean < $level_partner THEN 'preferred'
            WHEN mean < $level_strategic THEN 'partner'
            WHEN now.support >= $strategic_min_support
                 AND now.preference >= $strategic_min_preference THEN 'strategic'
            ELSE 'partner' END AS level,
       coalesce(r.responsible, false) AS responsible, now.last_contact AS last_contact,
       responsible_count, o.capacity AS capacity, responsible_count > o.capacity AS over_capacity
ORDER BY strength DESC, person, relationship
