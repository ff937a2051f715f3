"""The projection as a pure plan: one stored event → the parameterised Cypher statements that apply it."""
