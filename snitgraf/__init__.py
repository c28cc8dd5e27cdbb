"""snitgraf: the interfaces between municipal IT systems as a graph, for the monopoly break."""

__version__ = "0.2.0"
