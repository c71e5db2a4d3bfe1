"""stakegraph: map and analyse the decision chains of government accounts."""

__version__ = "0.1.0"
