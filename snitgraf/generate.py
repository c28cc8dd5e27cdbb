"""A synthetic national portfolio: 98 municipalities, the monopoly systems and a market.

`generate(municipalities, seed, scale)` draws a realistic portfolio deterministically from a seed:

- the KMD monopoly systems (KMD Aktiv, KMD Dagpenge, KMD Sag, ...) and their KOMBIT
  replacements (KY, KSD, SAPA), the KMD forudsætningssystemer and the støttesystemer;
- external authorities (CPR, SKAT, Udbetaling Danmark, STAR, ...), used nationally;
- a market of local systems per domain (økonomi, løn, ESDH, jobcenter, dagtilbud, ...), each
  domain with several suppliers; every municipality deploys one system per domain;
- interfaces per data key (the systems of a domain that can expose a key are alternatives),
  monopoly needs must/nice, municipality-level usages, and contracts with spread expiries and
  costs.

At N = 98 and scale 1 this is about 30,000 usages over about 2,500 interfaces; `scale` K
multiplies the data keys of every domain (so the catalogue and the usages) by K.
`write(generated, folder)` writes the CSV folder `load_portfolio` reads. Every row carries
`synthetic=ja` so nobody mistakes it for real data.
"""

from __future__ import annotations

import csv
import io
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from snitgraf.io.atomic import write_text_atomic
from snitgraf.loader import FILE_SPECS, FILES, build_portfolio
from snitgraf.model import Portfolio
from snitgraf.values import neutralise_formula

MUNICIPALITIES: tuple[tuple[str, str], ...] = (
    ("101", "København"), ("147", "Frederiksberg"), ("151", "Ballerup"), ("153", "Brøndby"),
    ("155", "Dragør"), ("157", "Gentofte"), ("159", "Gladsaxe"), ("161", "Glostrup"),
    ("163", "Herlev"), ("165", "Albertslund"), ("167", "Hvidovre"), ("169", "Høje-Taastrup"),
    ("173", "Lyngby-Taarbæk"), ("175", "Rødovre"), ("183", "Ishøj"), ("185", "Tårnby"),
    ("187", "Vallensbæk"), ("190", "Furesø"), ("201", "Allerød"), ("210", "Fredensborg"),
    ("217", "Helsingør"), ("219", "Hillerød"), ("223", "Hørsholm"), ("230", "Rudersdal"),
    ("240", "Egedal"), ("250", "Frederikssund"), ("253", "Greve"), ("259", "Køge"),
    ("260", "Halsnæs"), ("265", "Roskilde"), ("269", "Solrød"), ("270", "Gribskov"),
    ("306", "Odsherred"), ("316", "Holbæk"), ("320", "Faxe"), ("326", "Kalundborg"),
    ("329", "Ringsted"), ("330", "Slagelse"), ("336", "Stevns"), ("340", "Sorø"),
    ("350", "Lejre"), ("360", "Lolland"), ("370", "Næstved"), ("376", "Guldborgsund"),
    ("390", "Vordingborg"), ("400", "Bornholm"), ("410", "Middelfart"), ("420", "Assens"),
    ("430", "Faaborg-Midtfyn"), ("440", "Kerteminde"), ("450", "Nyborg"), ("461", "Odense"),
    ("479", "Svendborg"), ("480", "Nordfyns"), ("482", "Langeland"), ("492", "Ærø"),
    ("510", "Haderslev"), ("530", "Billund"), ("540", "Sønderborg"), ("550", "Tønder"),
    ("561", "Esbjerg"), ("563", "Fanø"), ("573", "Varde"), ("575", "Vejen"),
    ("580", "Aabenraa"), ("607", "Fredericia"), ("615", "Horsens"), ("621", "Kolding"),
    ("630", "Vejle"), ("657", "Herning"), ("661", "Holstebro"), ("665", "Lemvig"),
    ("671", "Struer"), ("706", "Syddjurs"), ("707", "Norddjurs"), ("710", "Favrskov"),
    ("727", "Odder"), ("730", "Randers"), ("740", "Silkeborg"), ("741", "Samsø"),
    ("746", "Skanderborg"), ("751", "Aarhus"), ("756", "Ikast-Brande"),
    ("760", "Ringkøbing-Skjern"), ("766", "Hedensted"), ("773", "Morsø"), ("779", "Skive"),
    ("787", "Thisted"), ("791", "Viborg"), ("810", "Brønderslev"), ("813", "Frederikshavn"),
    ("820", "Vesthimmerlands"), ("825", "Læsø"), ("840", "Rebild"), ("846", "Mariagerfjord"),
    ("849", "Jammerbugt"), ("851", "Aalborg"), ("860", "Hjørring"),
)  # fmt: skip
"""The 98 Danish municipalities (kommunekode, name) since 2007."""

# (id, name, SKI agreement or "")
SUPPLIERS: tuple[tuple[str, str, str], ...] = (
    ("kmd", "KMD", "02.19"),
    ("netcompany", "Netcompany", "02.19"),
    ("eg", "EG", "02.19"),
    ("fujitsu", "Fujitsu", "02.19"),
    ("formpipe", "Formpipe", "02.19"),
    ("sbsys", "SBSYS brugerklub", ""),
    ("tieto", "Tieto (Software Innovation)", "02.19"),
    ("scanjour", "Scanjour", ""),
    ("silkeborg-data", "Silkeborg Data", "02.19"),
    ("visma", "Visma", "02.19"),
    ("schultz", "Schultz", "02.19"),
    ("workbase", "Workbase-leverandør", ""),
    ("tabulex", "Tabulex", "02.19"),
    ("ist", "IST", ""),
    ("systematic", "Systematic", "02.19"),
    ("csc", "CSC Scandihealth", ""),
    ("itslearning", "itslearning", ""),
    ("kombit", "KOMBIT", ""),
    ("cpr-kontoret", "CPR-kontoret", ""),
    ("skat", "SKAT", ""),
    ("atp", "ATP / Udbetaling Danmark", ""),
    ("star", "Styrelsen for Arbejdsmarked og Rekruttering", ""),
    ("digst", "Digitaliseringsstyrelsen", ""),
    ("erst", "Erhvervsstyrelsen", ""),
)


@dataclass(frozen=True)
class Domain:
    """A municipal domain: its local systems (id, name, supplier, market weight), data stems."""

    code: str
    name: str
    systems: tuple[tuple[str, str, str, int], ...]
    stems: tuple[str, ...]


def _stems(text: str) -> tuple[str, ...]:
    return tuple(stem.strip() for stem in text.split(","))


DOMAINS: tuple[Domain, ...] = (
    Domain(
        "oekonomi",
        "Økonomi",
        (
            ("kmd-opus-oekonomi", "KMD Opus Økonomi", "kmd", 45),
            ("prisme", "Prisme", "fujitsu", 30),
            ("navision-stat", "Dynamics NAV Kommune", "eg", 15),
            ("visma-oekonomi", "Visma Enterprise Økonomi", "visma", 10),
        ),
        _stems(
            "Posteringer, Kreditorer, Debitorer, Budget, Betalinger, Kontoplan, "
            "Anlægsaktiver, Afstemning, Refusion, Momsindberetning, Fakturaer, "
            "Bankafstemning, Likviditet, Dimensioner, Regnskab"
        ),
    ),
    Domain(
        "loen",
        "Løn og personale",
        (
            ("kmd-opus-loen", "KMD Opus Løn", "kmd", 55),
            ("silkeborg-loen", "Silkeborg Løn", "silkeborg-data", 30),
            ("visma-loen", "Visma Løn", "visma", 15),
        ),
        _stems(
            "Lønudbetalinger, Medarbejdere, Fravær, Ansættelser, Organisation, Lønarter, "
            "Pension, Feriepenge, Timeregistrering, Sygefravær, Refusion af løn, "
            "Stillinger, Overenskomster, Tillæg, Fratrædelser"
        ),
    ),
    Domain(
        "esdh",
        "ESDH",
        (
            ("sbsys", "SBSYS", "sbsys", 30),
            ("acadre", "Acadre", "formpipe", 25),
            ("edoc", "eDoc / 360°", "tieto", 20),
            ("captia", "Captia", "scanjour", 15),
            ("kmd-workzone", "KMD WorkZone", "kmd", 10),
        ),
        _stems(
            "Sager, Dokumenter, Journalisering, Parter, Sagsoverblik, Akter, Arkivering, "
            "Klassifikation, Aktindsigt, Breve, Notater, Opgaver, Sagsbehandlere, "
            "Journalplan, Frister"
        ),
    ),
    Domain(
        "jobcenter",
        "Jobcenter",
        (
            ("kmd-opera", "KMD Opera", "kmd", 55),
            ("workbase", "Workbase", "workbase", 25),
            ("fasit", "Fasit", "schultz", 20),
        ),
        _stems(
            "Borgerforløb, Ydelsesstatus, Sanktioner, Samtaler, Aktiveringstilbud, "
            "Jobplaner, Visitation, Rådighed, Match, Virksomhedspraktik, Løntilskud, "
            "Ledighedsperioder, Tilmeldinger, Fraværsmeldinger, Indsatser"
        ),
    ),
    Domain(
        "dagtilbud",
        "Dagtilbud",
        (
            ("kmd-institution", "KMD Institution", "kmd", 45),
            ("tabulex-tea", "Tabulex TEA", "tabulex", 35),
            ("ist-pladsanvisning", "IST Pladsanvisning", "ist", 20),
        ),
        _stems(
            "Pladsanvisning, Venteliste, Forældrebetaling, Fripladser, Institutioner, "
            "Indmeldelser, Udmeldelser, Søskendetilskud, Normering, Dagpleje, Fremmøde, "
            "Takster, Børn, Kontaktpersoner, Stamdata"
        ),
    ),
    Domain(
        "boern",
        "Børn og unge (myndighed)",
        (
            ("kmd-boern-voksne", "KMD Børn og Voksne", "kmd", 40),
            ("dubu", "DUBU", "netcompany", 40),
            ("eg-sensum", "EG Sensum", "eg", 20),
        ),
        _stems(
            "Underretninger, Foranstaltninger, Handleplaner, Bevillinger, Anbringelser, "
            "Børnesager, Tilsyn, Betalinger til plejefamilier, Netværk, Afgørelser, "
            "Statistik, Undersøgelser, Børnefaglige undersøgelser, Samvær, Efterværn"
        ),
    ),
    Domain(
        "omsorg",
        "Sundhed og omsorg",
        (
            ("cura", "Cura", "systematic", 35),
            ("kmd-nexus", "KMD Nexus", "kmd", 35),
            ("csc-omsorg", "CSC Omsorg", "csc", 30),
        ),
        _stems(
            "Visitationer, Hjemmehjælp, Hjælpemidler, Plejeboliger, Genoptræning, "
            "Borgerstamdata, Kørsel, Madservice, Tilsyn, Sygepleje, Medicin, "
            "Funktionsevne, Leverandørvalg, Klippekort, Egenbetaling"
        ),
    ),
    Domain(
        "skole",
        "Skole",
        (
            ("tabulex-skole", "Tabulex Skole", "tabulex", 40),
            ("skoleintra", "SkoleIntra", "itslearning", 35),
            ("kmd-educa", "KMD Educa Elev", "kmd", 25),
        ),
        _stems(
            "Elever, Klasser, Skoleindskrivning, Fravær, Specialundervisning, SFO-pladser, "
            "Skolebuskørsel, Karakterer, Forældre, Skemaer, Lærere, Prøver, Udmeldelser, "
            "Elevplaner, Befordring"
        ),
    ),
)

VARIANTS: tuple[tuple[str, str, str], ...] = (
    ("udtraek", "udtræk", "in"),
    ("opslag", "opslag", "in"),
    ("indberetning", "indberetning", "out"),
    ("abonnement", "abonnement", "in"),
    ("haendelser", "hændelser", "in"),
    ("batch", "batchoverførsel", "out"),
)
"""How a data key is exchanged: (slug, Danish word, direction of the monopoly system's use)."""


@dataclass(frozen=True)
class MonopolySystem:
    """A monopoly system (old or new) and the domains whose data it needs."""

    id: str
    name: str
    supplier: str
    lifecycle: str
    replaces: str
    go_live: str
    domain: str
    needs: tuple[str, ...]
    stems: tuple[str, ...]


MONOPOLY: tuple[MonopolySystem, ...] = (
    MonopolySystem("kmd-aktiv", "KMD Aktiv", "kmd", "as-is", "", "", "ydelser",
                   ("oekonomi", "jobcenter", "esdh", "loen"),
                   ("Kontanthjælp", "Ydelsesberegning", "Sagsstatus", "Modregning")),
    MonopolySystem("kmd-dagpenge", "KMD Dagpenge", "kmd", "as-is", "", "", "ydelser",
                   ("oekonomi", "jobcenter", "loen", "esdh"),
                   ("Sygedagpenge", "Refusion", "Arbejdsgiveroplysninger", "Opfølgning")),
    MonopolySystem("kmd-sag", "KMD Sag", "kmd", "as-is", "", "", "sag",
                   ("esdh", "boern", "omsorg", "dagtilbud", "skole"),
                   ("Sagsindeks", "Partsoplysninger", "Dokumentoverblik", "Sagsstatus")),
    MonopolySystem("kmd-boligstoette", "KMD Boligstøtte", "kmd", "as-is", "", "", "ydelser",
                   ("oekonomi",), ("Boligstøtte", "Udbetalinger")),
    MonopolySystem("kmd-social-pension", "KMD Social Pension", "kmd", "as-is", "", "",
                   "ydelser", ("oekonomi", "omsorg"), ("Pensionsoplysninger", "Tillæg")),
    MonopolySystem("ky", "KY – Kommunernes Ydelsessystem", "netcompany", "to-be",
                   "kmd-aktiv", "2020-10", "ydelser",
                   ("oekonomi", "jobcenter", "esdh", "loen"),
                   ("Kontanthjælp", "Ydelsesberegning", "Sagsstatus", "Modregning")),
    MonopolySystem("ksd", "KSD – Kommunernes Sygedagpengesystem", "kmd", "to-be",
                   "kmd-dagpenge", "2020-06", "ydelser",
                   ("oekonomi", "jobcenter", "loen", "esdh"),
                   ("Sygedagpenge", "Refusion", "Arbejdsgiveroplysninger", "Opfølgning")),
    MonopolySystem("sapa", "SAPA – Sags- og Partsoverblik", "netcompany", "to-be", "kmd-sag",
                   "2019", "sag", ("esdh", "boern", "omsorg", "dagtilbud", "skole"),
                   ("Sagsindeks", "Partsoplysninger", "Dokumentoverblik", "Sagsstatus")),
)  # fmt: skip

# Single-supplier providers every monopoly system depends on: (id, name, supplier, lifecycle,
# domain, data stems). KMD's forudsætningssystemer, the authorities and the støttesystemer.
NATIONAL: tuple[tuple[str, str, str, str, str, tuple[str, ...]], ...] = (
    ("kmd-udbetaling", "KMD Udbetaling", "kmd", "as-is", "oekonomi",
     ("Udbetalingstransaktioner", "Udbetalingsstatus")),
    ("kmd-indkomst", "KMD Indkomst", "kmd", "as-is", "ydelser",
     ("Indkomstforespørgsel", "Indkomstmasseforespørgsel")),
    ("p-data", "P-Data", "kmd", "as-is", "infrastruktur", ("Personstamdata",)),
    ("cpr", "CPR", "cpr-kontoret", "both", "myndighed", ("Personoplysninger", "CPR-hændelser")),
    ("skat-eindkomst", "SKAT eIndkomst", "skat", "both", "myndighed",
     ("eIndkomst", "Årsopgørelse")),
    ("udbetaling-danmark", "Udbetaling Danmark", "atp", "both", "myndighed",
     ("Boligstøtte", "Familieydelser", "Pension")),
    ("star-dfdg", "Det Fælles Datagrundlag (STAR)", "star", "both", "myndighed",
     ("Ledighedsoplysninger", "Jobsøgning")),
    ("digital-post", "Digital Post", "digst", "both", "myndighed", ("Breve", "Kvitteringer")),
    ("nemrefusion", "NemRefusion", "erst", "both", "myndighed", ("Refusionsanmodninger",)),
    ("serviceplatformen", "Serviceplatformen", "kombit", "to-be", "infrastruktur",
     ("Dataservices",)),
    ("beskedfordeler", "Beskedfordeler (SF1460)", "kmd", "to-be", "infrastruktur",
     ("Beskeder",)),
    ("sags-dokumentindeks", "Sags- og Dokumentindeks (SF1470)", "kmd", "to-be",
     "infrastruktur", ("Sagsindeks", "Dokumentindeks")),
    ("ydelsesindeks", "Ydelsesindeks (SF1490)", "kmd", "to-be", "infrastruktur",
     ("Ydelser",)),
)  # fmt: skip

HEADERS: dict[str, tuple[str, ...]] = {
    "suppliers": ("id", "name", "ski", "synthetic"),
    "systems": (
        "id", "name", "supplier", "monopoly", "lifecycle", "replaces", "go_live", "domain",
        "synthetic",
    ),
    "interfaces": ("id", "name", "provider", "data", "synthetic"),
    "usages": ("interface", "system", "need", "direction", "municipality"),
    "contracts": (
        "id", "interface", "supplier", "expires", "annual_cost_dkk", "note", "municipality",
    ),
    "municipalities": ("code", "name", "synthetic"),
    "deployments": ("municipality", "system"),
}  # fmt: skip
"""The columns written per file (usages, contracts and deployments stay lean: they are many)."""

PROVIDE_PROBABILITY = 0.8
"""How likely a local system of a domain exposes a given data key of its domain."""
MONOPOLY_NEED_PROBABILITY = 0.09
"""How likely a monopoly system needs a data key of a domain it depends on."""
MUST_SHARE = 0.6
"""Share of monopoly needs that are must (the rest are nice)."""
LOCAL_USE_PROBABILITY = 0.85
"""How likely a municipality actually uses a needed key through its own system."""


Row = dict[str, str]


@dataclass
class GeneratedPortfolio:
    """A generated portfolio as rows of text per file, ready to write or to validate."""

    municipalities: int
    seed: int
    scale: int
    tables: dict[str, list[Row]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """How many rows each file holds."""
        return {kind: len(rows) for kind, rows in self.tables.items()}

    def portfolio(self) -> Portfolio:
        """Validate the rows exactly as `load_portfolio` would, without writing files."""
        from snitgraf.io.tables import RawRow, RawTable

        tables = {}
        for kind, rows in self.tables.items():
            headers = HEADERS[kind]
            raw = tuple(RawRow(line, row) for line, row in enumerate(rows, start=2))
            tables[kind] = RawTable(f"{FILE_SPECS[kind].filename}", headers, raw)
        return build_portfolio(f"generated(N={self.municipalities}, seed={self.seed})", tables)


def _slug(text: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "°": ""})
    return "-".join(text.lower().translate(table).replace("/", " ").split())


def _pick(rng: random.Random, choices: Sequence[tuple[str, str, str, int]]) -> str:
    return rng.choices([c[0] for c in choices], weights=[c[3] for c in choices])[0]


def _expiry(rng: random.Random) -> str:
    if rng.random() < 0.08:
        return ""
    year = rng.randint(2014, 2021)
    precision = rng.random()
    if precision < 0.3:
        return str(year)
    month = rng.randint(1, 12)
    if precision < 0.6:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{rng.choice((1, 15, 28)):02d}"


def _cost(rng: random.Random, low: int, high: int) -> str:
    if rng.random() < 0.05:
        return ""
    # log-uniform: many small interface agreements, a few large ones
    amount = math.exp(rng.uniform(math.log(low), math.log(high)))
    return str(max(1000, round(amount / 1000) * 1000))


def generate(municipalities: int = 98, seed: int = 0, scale: int = 1) -> GeneratedPortfolio:
    """A synthetic national portfolio, the same for the same arguments.

    >>> generated = generate(municipalities=2, seed=1)
    >>> sorted(generated.tables)[:3]
    ['contracts', 'deployments', 'interfaces']
    """
    if municipalities < 1:
        raise ValueError("municipalities must be at least 1")
    if scale < 1:
        raise ValueError("scale must be at least 1")
    rng = random.Random(f"snitgraf-{seed}")
    out = GeneratedPortfolio(municipalities, seed, scale, {kind: [] for kind in HEADERS})
    t = out.tables

    # Municipalities: a seeded choice of real ones; beyond 98, synthetic ones.
    if municipalities <= len(MUNICIPALITIES):
        chosen = sorted(rng.sample(range(len(MUNICIPALITIES)), municipalities))
        munis = [MUNICIPALITIES[i] for i in chosen]
    else:
        munis = list(MUNICIPALITIES) + [
            (str(900 + i), f"Syntetisk Kommune {i}")
            for i in range(1, municipalities - len(MUNICIPALITIES) + 1)
        ]
    for code, name in munis:
        t["municipalities"].append({"code": code, "name": name, "synthetic": "ja"})

    used_suppliers = {s for d in DOMAINS for _, _, s, _ in d.systems}
    used_suppliers |= {m.supplier for m in MONOPOLY} | {n[2] for n in NATIONAL}
    for sid, name, ski in SUPPLIERS:
        if sid in used_suppliers:
            t["suppliers"].append({"id": sid, "name": name, "ski": ski, "synthetic": "ja"})
    supplier_of: dict[str, str] = {}

    def add_system(sid: str, name: str, supplier: str, monopoly: bool, lifecycle: str,
                   replaces: str, go_live: str, domain: str) -> None:  # fmt: skip
        supplier_of[sid] = supplier
        t["systems"].append({
            "id": sid, "name": name, "supplier": supplier, "monopoly": "ja" if monopoly else "nej",
            "lifecycle": lifecycle, "replaces": replaces, "go_live": go_live, "domain": domain,
            "synthetic": "ja",
        })  # fmt: skip

    for m in MONOPOLY:
        add_system(m.id, m.name, m.supplier, True, m.lifecycle, m.replaces, m.go_live, m.domain)
    for sid, name, supplier, lifecycle, domain, _ in NATIONAL:
        add_system(sid, name, supplier, False, lifecycle, "", "", domain)
    for d in DOMAINS:
        for sid, name, supplier, _ in d.systems:
            add_system(sid, name, supplier, False, "both", "", "", d.code)

    counter = 0

    def add_interface(provider: str, provider_name: str, data: str, name: str) -> str:
        nonlocal counter
        counter += 1
        iid = f"SID{counter:05d}"
        t["interfaces"].append({
            "id": iid, "name": f"{provider_name} – {name}", "provider": provider, "data": data,
            "synthetic": "ja",
        })  # fmt: skip
        return iid

    def sets() -> list[tuple[str, str]]:
        return [("", "")] + [(f".{k}", f", sæt {k}") for k in range(2, scale + 1)]

    # The local market: per domain and data key, the systems that can expose it.
    # domain -> list of (data key, label, direction, {system: interface})
    keys_of: dict[str, list[tuple[str, str, str, dict[str, str]]]] = {}
    for d in DOMAINS:
        keys: list[tuple[str, str, str, dict[str, str]]] = []
        for suffix, label_suffix in sets():
            for stem in d.stems:
                for slug, word, direction in VARIANTS:
                    data = f"{d.code}.{_slug(stem)}.{slug}{suffix}"
                    label = f"{stem} ({word}{label_suffix})"
                    providers = [s for s in d.systems if rng.random() < PROVIDE_PROBABILITY]
                    if not providers:
                        providers = [rng.choice(d.systems)]
                    by_system = {
                        sid: add_interface(sid, name, data, label) for sid, name, _, _ in providers
                    }
                    keys.append((data, label, direction, by_system))
        keys_of[d.code] = keys

    # Interfaces the monopoly systems provide (local systems use them); a replacement provides
    # the same data as the system it replaces, mostly.
    monopoly_keys: dict[str, list[tuple[str, str]]] = {}  # system -> [(data, interface)]
    old_keys: dict[str, list[tuple[str, str]]] = {}
    for m in MONOPOLY:
        provided: list[tuple[str, str]] = []
        if m.replaces:
            for data, _ in old_keys[m.replaces]:
                if rng.random() < 0.75:
                    label = data.split(".", 1)[1].replace(".", " ")
                    provided.append((data, add_interface(m.id, m.name, data, label)))
        else:
            for suffix, label_suffix in sets():
                for stem in m.stems:
                    for slug, word, _ in VARIANTS:
                        data = f"{m.id}.{_slug(stem)}.{slug}{suffix}"
                        label = f"{stem} ({word}{label_suffix})"
                        provided.append((data, add_interface(m.id, m.name, data, label)))
            old_keys[m.id] = provided
        monopoly_keys[m.id] = provided

    # National single-supplier data every monopoly system must have (kombit-98 candidates).
    national_ifs: list[tuple[str, str, str]] = []  # (system, lifecycle, interface)
    for sid, name, _, lifecycle, _, stems in NATIONAL:
        for suffix, label_suffix in sets():
            for stem in stems:
                data = f"{sid}.{_slug(stem)}{suffix}"
                iid = add_interface(sid, name, data, f"{stem}{label_suffix}")
                national_ifs.append((sid, lifecycle, iid))
    monopoly_ids = [m.id for m in MONOPOLY]
    lifecycle_of = {m.id: m.lifecycle for m in MONOPOLY}
    for _sid, lifecycle, iid in national_ifs:
        for mid in monopoly_ids:
            # AS-IS monopoly systems use KMD's forudsætningssystemer and the authorities;
            # TO-BE ones the authorities and the støttesystemer.
            if lifecycle == "as-is" and lifecycle_of[mid] == "to-be":
                continue
            if lifecycle == "to-be" and lifecycle_of[mid] == "as-is":
                continue
            if rng.random() < 0.5:
                need = "must" if rng.random() < 0.8 else "nice"
                t["usages"].append({
                    "interface": iid, "system": mid, "need": need, "direction": "in",
                    "municipality": "",
                })  # fmt: skip
    for iid in [i for _, lc, i in national_ifs if lc != "to-be"][: max(3, 4 * scale)]:
        provider = next(row for row in t["interfaces"] if row["id"] == iid)["provider"]
        t["contracts"].append({
            "id": f"K-NAT-{iid}", "interface": iid, "supplier": supplier_of[provider],
            "expires": _expiry(rng), "annual_cost_dkk": _cost(rng, 200_000, 2_500_000),
            "note": "Fælleskommunal aftale (KOMBIT)", "municipality": "",
        })  # fmt: skip

    # What each monopoly system needs from each domain: data key -> need.
    needs: dict[str, list[tuple[int, str]]] = {}  # system -> [(key index in domain, need)]
    need_of: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for m in MONOPOLY:
        for domain in m.needs:
            chosen: list[tuple[int, str]] = []
            if m.replaces:
                # a replacement needs what the old system needed, and a little more
                chosen = [
                    (i, need) for i, need in need_of[(m.replaces, domain)] if rng.random() < 0.9
                ]
            taken = {i for i, _ in chosen}
            for i in range(len(keys_of[domain])):
                if i not in taken and rng.random() < MONOPOLY_NEED_PROBABILITY * (
                    0.25 if m.replaces else 1
                ):
                    chosen.append((i, "must" if rng.random() < MUST_SHARE else "nice"))
            chosen.sort()
            need_of[(m.id, domain)] = chosen
        needs[m.id] = [n for d in m.needs for n in need_of[(m.id, d)]]

    # Municipality by municipality: deployments, usages, contracts.
    contract_no = 0
    national_systems = [m.id for m in MONOPOLY] + [n[0] for n in NATIONAL if n[2] == "kmd"]
    for code, _name in munis:
        deployed: dict[str, str] = {}
        for d in DOMAINS:
            deployed[d.code] = _pick(rng, d.systems)
        for sid in national_systems + [deployed[d.code] for d in DOMAINS]:
            t["deployments"].append({"municipality": code, "system": sid})
        book = _Book(code, t, rng, supplier_of, contract_no)
        use, contract = book.use, book.contract
        # Monopoly systems use the data of the municipality's own local systems.
        for m in MONOPOLY:
            for domain in m.needs:
                keys = keys_of[domain]
                own = deployed[domain]
                for i, need in need_of[(m.id, domain)]:
                    if rng.random() >= LOCAL_USE_PROBABILITY:
                        continue
                    _data, _label, direction, by_system = keys[i]
                    interface = by_system.get(own)
                    if interface is None:
                        continue
                    if use(interface, m.id, need, direction) and rng.random() < 0.7:
                        contract(interface, own, 8_000, 180_000)
        # Local systems use the monopoly systems' interfaces and each other's.
        for d in DOMAINS:
            own = deployed[d.code]
            for m in MONOPOLY:
                if d.code not in m.needs or not monopoly_keys[m.id]:
                    continue
                for _data, interface in rng.sample(
                    monopoly_keys[m.id], min(len(monopoly_keys[m.id]), 2 * scale)
                ):
                    need = "must" if rng.random() < 0.5 else "nice"
                    if use(interface, own, need, "in") and rng.random() < 0.3:
                        contract(interface, m.id, 15_000, 120_000)
            others = [o for o in DOMAINS if o.code != d.code]
            for other in rng.sample(others, 3):
                theirs = deployed[other.code]
                candidates = [k for k in keys_of[other.code] if theirs in k[3]]
                for _data, _label, direction, by_system in rng.sample(
                    candidates, min(len(candidates), 4 * scale)
                ):
                    need = "must" if rng.random() < 0.7 else "nice"
                    flipped = "out" if direction == "in" else "in"
                    if use(by_system[theirs], own, need, flipped) and rng.random() < 0.4:
                        contract(by_system[theirs], theirs, 5_000, 90_000)
        contract_no = book.contract_no
    return out


@dataclass
class _Book:
    """One municipality's usages and contracts, each written once."""

    code: str
    tables: dict[str, list[Row]]
    rng: random.Random
    supplier_of: dict[str, str]
    contract_no: int
    uses: set[tuple[str, str]] = field(default_factory=set)
    contracted: set[str] = field(default_factory=set)

    def use(self, interface: str, system: str, need: str, direction: str) -> bool:
        """Add a usage of this municipality; False when it was already there."""
        if (interface, system) in self.uses:
            return False
        self.uses.add((interface, system))
        self.tables["usages"].append({
            "interface": interface, "system": system, "need": need,
            "direction": direction, "municipality": self.code,
        })  # fmt: skip
        return True

    def contract(self, interface: str, provider: str, low: int, high: int) -> None:
        """Add this municipality's contract for an interface (one per interface)."""
        if interface in self.contracted:
            return
        self.contracted.add(interface)
        self.contract_no += 1
        self.tables["contracts"].append({
            "id": f"K{self.code}-{self.contract_no:06d}", "interface": interface,
            "supplier": self.supplier_of[provider], "expires": _expiry(self.rng),
            "annual_cost_dkk": _cost(self.rng, low, high), "note": "",
            "municipality": self.code,
        })  # fmt: skip


def _csv_text(headers: Sequence[str], rows: Sequence[Row]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([neutralise_formula(str(row.get(h, ""))) for h in headers])
    return buffer.getvalue()


def write(generated: GeneratedPortfolio, folder: str | Path) -> list[Path]:
    """Write the portfolio as a CSV folder (UTF-8, comma separated), each file atomically."""
    folder = Path(folder)
    written = []
    for spec in FILES:
        rows = generated.tables.get(spec.kind)
        if rows is None:
            continue
        text = _csv_text(HEADERS[spec.kind], rows)
        written.append(write_text_atomic(folder / spec.filename, text))
    return written
