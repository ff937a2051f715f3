"""Cypher for the reference-data reads; each list has a COUNT twin with the same filters."""

PREFECTURE_FILTER = "WHERE ($name IS NULL OR p.name CONTAINS $name)"

COUNT_PREFECTURES = f"MATCH (p:Prefecture) {PREFECTURE_FILTER} RETURN count(p) AS total"

LIST_PREFECTURES = f"""
MATCH (p:Prefecture) {PREFECTURE_FILTER}
CALL (p) {{ OPTIONAL MATCH (m:Municipality)-[:IN_PREFECTURE]->(p) RETURN count(m) AS municipalities }}
RETURN p.code AS code, p.name AS name, p.kana AS kana, p.name_en AS name_en, municipalities,
       p.listed_event_id AS listed_event_id
ORDER BY coalesce(p.code, '99'), p.name SKIP $offset LIMIT $limit
"""

MUNICIPALITY_FILTER = """
WHERE ($prefecture IS NULL OR p.name = $prefecture OR p.code = $prefecture)
  AND ($name IS NULL OR m.name CONTAINS $name OR m.kana CONTAINS $name)
  AND ($kind IS NULL OR m.kind = $kind)
"""

COUNT_MUNICIPALITIES = f"""
MATCH (m:Municipality)-[:IN_PREFECTURE]->(p:Prefecture) {MUNICIPALITY_FILTER} RETURN count(m) AS total
"""

LIST_MUNICIPALITIES = f"""
MATCH (m:Municipality)-[:IN_PREFECTURE]->(p:Prefecture) {MUNICIPALITY_FILTER}
WITH m, p ORDER BY m.code SKIP $offset LIMIT $limit
CALL (m) {{ OPTIONAL MATCH (e:Engagement)-[:FOR_MUNICIPALITY]->(m) RETURN collect(e.id) AS engagements }}
RETURN m.code AS code, m.name AS name, m.kana AS kana, m.kind AS kind, p.name AS prefecture,
       m.population AS population, m.mayor AS mayor, engagements, m.listed_event_id AS listed_event_id
"""

# A WHERE right after an OPTIONAL MATCH would only drop the optional part, so filters follow a WITH.

# Top-level 府省庁 only; 外局 are listed under their parent.
MINISTRY_FILTER = "WHERE NOT (m)-[:PART_OF]->(:Ministry) AND ($name IS NULL OR m.name CONTAINS $name)"

COUNT_MINISTRIES = f"MATCH (m:Ministry) {MINISTRY_FILTER} RETURN count(m) AS total"

LIST_MINISTRIES = f"""
MATCH (m:Ministry) {MINISTRY_FILTER}
WITH m ORDER BY m.name SKIP $offset LIMIT $limit
CALL (m) {{
  OPTIONAL MATCH (a:Ministry)-[:PART_OF]->(m) RETURN collect(a.name) AS agencies
}}
CALL (m) {{
  OPTIONAL MATCH (b:Bureau)-[:PART_OF]->(m) RETURN collect(b.name) AS bureaus
}}
CALL (m) {{
  OPTIONAL MATCH (r:RegionalBureau)-[:PART_OF]->(m) RETURN collect(r.name) AS regional_bureaus
}}
RETURN m.name AS name, m.description AS description, null AS parent, agencies, bureaus, regional_bureaus,
       m.defined_event_id AS defined_event_id
"""

REGIONAL_FILTER = """
WHERE ($ministry IS NULL OR ministry.name = $ministry)
  AND ($prefecture IS NULL OR EXISTS { (r)-[:COVERS]->(:Prefecture {name: $prefecture}) })
"""

COUNT_REGIONAL_BUREAUS = f"""
MATCH (r:RegionalBureau) OPTIONAL MATCH (r)-[:PART_OF]->(ministry:Ministry)
WITH r, ministry {REGIONAL_FILTER}
RETURN count(r) AS total
"""

LIST_REGIONAL_BUREAUS = f"""
MATCH (r:RegionalBureau) OPTIONAL MATCH (r)-[:PART_OF]->(ministry:Ministry)
WITH r, ministry {REGIONAL_FILTER}
WITH r, ministry ORDER BY ministry.name, r.name SKIP $offset LIMIT $limit
CALL (r) {{
  OPTIONAL MATCH (r)-[:COVERS]->(p:Prefecture)
  WITH p ORDER BY coalesce(p.code, '99') RETURN collect(p.name) AS prefectures
}}
RETURN r.name AS name, ministry.name AS ministry, r.description AS description, prefectures,
       r.defined_event_id AS defined_event_id
"""

COUNT_PROGRAMMES = "MATCH (f:FundingProgram) RETURN count(f) AS total"

LIST_PROGRAMMES = """
MATCH (f:FundingProgram)
OPTIONAL MATCH (f)-[:PART_OF]->(ministry:Ministry)
WITH f, ministry ORDER BY f.name SKIP $offset LIMIT $limit
CALL (f) {
  OPTIONAL MATCH (e:Engagement)-[a:APPLIED_FOR]->(f)
  WITH e, a WHERE e IS NOT NULL
  RETURN collect({engagement_id: e.id, municipality: e.municipality_name, status: a.status,
                  event_id: a.event_id}) AS applied
}
CALL (f) {
  OPTIONAL MATCH (e:Engagement)-[:ACHIEVED]->(o:Outcome)-[:INVOLVES]->(f)
  WITH e, o WHERE e IS NOT NULL
  RETURN collect({engagement_id: e.id, municipality: e.municipality_name, status: o.status,
                  event_id: o.id}) AS achieved
}
RETURN f.name AS name, ministry.name AS ministry, f.description AS description, applied + achieved AS uses,
       f.defined_event_id AS defined_event_id
"""

OFFICIAL_FILTER = """
WHERE ($ministry IS NULL OR m.name = $ministry) AND ($name IS NULL OR o.name CONTAINS $name)
"""

COUNT_OFFICIALS = f"""
MATCH (o:Official) OPTIONAL MATCH (o)-[:BELONGS_TO]->(m:Ministry)
WITH o, m {OFFICIAL_FILTER} RETURN count(o) AS total
"""

LIST_OFFICIALS = f"""
MATCH (o:Official) OPTIONAL MATCH (o)-[:BELONGS_TO]->(m:Ministry)
WITH o, m {OFFICIAL_FILTER}
WITH o, m ORDER BY m.name, o.name, o.id SKIP $offset LIMIT $limit
CALL (o) {{
  OPTIONAL MATCH (o)-[r:MEMBER_OF]->(:Team)<-[:HAS_TEAM]-(e:Engagement)
  WITH e, r WHERE e IS NOT NULL
    AND ($as_of IS NULL OR ((r.from IS NULL OR r.from <= $as_of) AND (r.to IS NULL OR r.to > $as_of)))
  RETURN collect({{engagement_id: e.id, municipality: e.municipality_name, period: e.period,
                   joined_on: r.from, left_on: r.to}}) AS engagements
}}
RETURN o.id AS official_id, o.name AS name, m.name AS ministry, o.post AS post, o.seniority AS seniority,
       engagements
"""
