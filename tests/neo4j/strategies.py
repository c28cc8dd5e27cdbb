"""Hypothesis strategies: small, valid portfolios that stress the rules and the Cypher.

They cover S = 1, 2 and 3 (a few data keys shared by interfaces of systems of a few suppliers),
must/nice mixes, monopoly systems that only provide, to-be replacements, unknown expiries and
costs, and ids, names and extra columns with Danish letters, quotes, backticks and braces.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from snitgraf.model import Contract, Interface, Portfolio, Supplier, System, Usage

TRICKY = "aæøåÆØÅé'\"`{}$ -|\\"
"""Characters that break Cypher built by formatting strings (and Danish letters)."""

texts = st.text(alphabet=st.sampled_from(TRICKY + "bcxyz019"), min_size=1, max_size=8).map(
    lambda s: s.strip() or "x"
)
extra_keys = st.sampled_from(["kilde", "kontakt person", "a`b", "{x}", "pris'dkk", "Æble"])


def _unique_ids(prefix: str, count: int, draw: Any) -> list[str]:
    ids: list[str] = []
    for n in range(count):
        ids.append(f"{prefix}{n}{draw(texts)}")
    return ids


def _date(draw: Any) -> str | None:
    precision = draw(st.sampled_from(["none", "year", "month", "day"]))
    year = draw(st.integers(2014, 2019))
    if precision == "none":
        return None
    if precision == "year":
        return str(year)
    month = draw(st.integers(1, 12))
    if precision == "month":
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{draw(st.integers(1, 28)):02d}"


def _extra(draw: Any) -> dict[str, str]:
    return draw(st.dictionaries(extra_keys, texts, max_size=2))


@st.composite
def portfolios(draw: Any) -> Portfolio:
    """A valid portfolio of 1-4 suppliers, 2-7 systems, 1-9 interfaces over 1-3 data keys."""
    supplier_ids = _unique_ids("s", draw(st.integers(1, 4)), draw)
    suppliers = tuple(
        Supplier(
            id=sid,
            name=draw(texts),
            ski=draw(st.sampled_from([None, "02.19", "50.10"])),
            extra=_extra(draw),
        )
        for sid in supplier_ids
    )
    system_ids = _unique_ids("y", draw(st.integers(2, 7)), draw)
    lifecycles = {sid: draw(st.sampled_from(["as-is", "to-be", "both"])) for sid in system_ids}
    monopoly = {sid: draw(st.booleans()) for sid in system_ids}
    systems = []
    for sid in system_ids:
        replaces: tuple[str, ...] = ()
        if lifecycles[sid] == "to-be":
            # An old system may have several replacers: the derived TO-BE graph then gives an
            # interface several providers, all of which count in S.
            old = [o for o in system_ids if lifecycles[o] == "as-is" and monopoly[o]]
            if old and draw(st.booleans()):
                replaces = (draw(st.sampled_from(old)),)
        systems.append(
            System(
                id=sid,
                name=draw(texts),
                supplier=draw(st.sampled_from(supplier_ids)),
                monopoly=monopoly[sid],
                lifecycle=lifecycles[sid],
                replaces=replaces,
                go_live=_date(draw),
                domain=draw(st.sampled_from([None, "ydelser", "sag"])),
                extra=_extra(draw),
            )
        )
    data_keys = [f"d{n}{draw(texts)}" for n in range(draw(st.integers(1, 3)))]
    interface_ids = _unique_ids("i", draw(st.integers(1, 9)), draw)
    interfaces = tuple(
        Interface(
            id=iid,
            name=draw(texts),
            provider=draw(st.sampled_from(system_ids)),
            data=draw(st.sampled_from(data_keys)),
            extra=_extra(draw),
        )
        for iid in interface_ids
    )
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(interface_ids), st.sampled_from(system_ids)),
            unique=True,
            max_size=10,
        )
    )
    usages = tuple(
        Usage(
            interface=iid,
            system=sid,
            need=draw(st.sampled_from(["must", "nice"])),
            direction=draw(st.sampled_from([None, "in", "out"])),
        )
        for iid, sid in pairs
    )
    contracts = tuple(
        Contract(
            id=cid,
            interface=draw(st.sampled_from(interface_ids)),
            supplier=draw(st.sampled_from(supplier_ids)),
            expires=_date(draw),
            annual_cost_dkk=draw(st.sampled_from([None, 0.0, 42000.0, 1234.5])),
            note=draw(st.one_of(st.none(), texts)),
        )
        for cid in _unique_ids("c", draw(st.integers(0, 4)), draw)
    )
    return Portfolio(
        source="hypothesis",
        suppliers=suppliers,
        systems=tuple(systems),
        interfaces=interfaces,
        usages=usages,
        contracts=contracts,
    )
