"""Benchmark: writing diagram pages for generated portfolios, and drawing one in Chromium.

    .venv/bin/python benchmarks/render.py [--sizes 200,2000,20000] [--no-browser]

For portfolios of 200, 2,000 and 20,000 interfaces (a synthetic market of N/4 systems, so the
node count grows with N) it times layout + diagram + writing the AS-IS page, with collapsing
(every local system grouped by domain) and without, and prints the file size. Then it opens the
collapsed 20,000 page in headless Chromium (network blocked) and times until the network is
drawn. Prints numbers and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from snitgraf.graph import build_graph
from snitgraf.model import Interface, Portfolio, Supplier, System, Usage
from snitgraf.render.diagrams import as_is_diagram, layout
from snitgraf.render.pyvis_page import write_page

DOMAINS = (
    "oekonomi", "loen", "esdh", "jobcenter", "dagtilbud", "skole", "social", "sundhed",
    "ydelser", "teknik", "borgerservice", "infrastruktur",
)  # fmt: skip
NEVER = 10**9


def market(interfaces: int, seed: int = 1) -> Portfolio:
    """A synthetic portfolio with `interfaces` interfaces over interfaces/4 systems."""
    rng = random.Random(seed)
    n_systems = max(24, interfaces // 4)
    n_suppliers = max(6, n_systems // 25)
    suppliers = [Supplier(id=f"sup{i}", name=f"Leverandør {i}") for i in range(n_suppliers)]
    systems = [
        System(id="aktiv", name="KMD Aktiv", supplier="sup0", monopoly=True, lifecycle="as-is"),
        System(id="dagpenge", name="KMD Dagpenge", supplier="sup0", monopoly=True,
               lifecycle="as-is"),
        System(id="ky", name="KY", supplier="sup1", monopoly=True, lifecycle="to-be",
               replaces=("aktiv",)),
        System(id="ksd", name="KSD", supplier="sup0", monopoly=True, lifecycle="to-be",
               replaces=("dagpenge",)),
    ]  # fmt: skip
    systems += [
        System(
            id=f"s{i}",
            name=f"System {i}",
            supplier=f"sup{rng.randrange(n_suppliers)}",
            domain=DOMAINS[i % len(DOMAINS)],
        )
        for i in range(n_systems - len(systems))
    ]
    ids = [s.id for s in systems]
    keys = max(1, interfaces // 3)
    items = [
        Interface(id=f"I{i}", name=f"Snitflade {i}", provider=rng.choice(ids[4:]),
                  data=f"d{rng.randrange(keys)}")
        for i in range(interfaces)
    ]  # fmt: skip
    usages = []
    for item in items:
        users = {rng.choice(ids) for _ in range(rng.randint(1, 2))} - {item.provider}
        for user in sorted(users):
            need = "must" if rng.random() < 0.7 else "nice"
            usages.append(Usage(interface=item.id, system=user, need=need))
    return Portfolio(
        source=f"market-{interfaces}",
        suppliers=tuple(suppliers),
        systems=tuple(systems),
        interfaces=tuple(items),
        usages=tuple(usages),
    )


def write(portfolio: Portfolio, folder: Path, collapse: bool) -> tuple[float, int, int, Path]:
    """Seconds for layout + diagram + page, the file size, and the node count."""
    full = build_graph(portfolio)
    started = time.perf_counter()
    positions = layout(full, collapse_above=0 if collapse else NEVER)
    result = as_is_diagram(full, positions)
    path = write_page(
        result, folder / f"{portfolio.source}-{'collapsed' if collapse else 'all'}.html"
    )
    return time.perf_counter() - started, path.stat().st_size, len(result.nodes), path


def time_to_drawn(path: Path) -> float:
    """Seconds from navigation start until the page's network has been drawn, in Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )  # fmt: skip
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith(("file:", "about:")) else r.abort(),
        )
        page.goto(path.resolve().as_uri())
        page.wait_for_function("window.snitgraf && window.snitgraf.drawn", timeout=300000)
        elapsed = page.evaluate("performance.now()") / 1000
        browser.close()
    return elapsed


def _national() -> Portfolio | None:
    """The national synthetic portfolio of `snitgraf.generate`, when that module is there."""
    try:
        from snitgraf.generate import generate
    except ImportError:
        return None
    portfolio = generate(municipalities=98, seed=0).portfolio()
    return portfolio.model_copy(update={"source": "national"})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="200,2000,20000")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(
            f"{'interfaces':>10} {'systems':>8} {'mode':>9} {'nodes':>6} {'seconds':>8} {'MB':>7}"
        )
        biggest: Path | None = None
        for size in sizes:
            portfolio = market(size)
            for collapse in (False, True):
                seconds, size_bytes, node_count, path = write(portfolio, folder, collapse)
                mode = "collapsed" if collapse else "all"
                print(
                    f"{size:>10,} {len(portfolio.systems):>8,} {mode:>9} {node_count:>6,} "
                    f"{seconds:>8.2f} {size_bytes / 1e6:>7.2f}"
                )
                if collapse:
                    biggest = path
        national = _national()
        if national is not None:
            for collapse in (False, True):
                seconds, size_bytes, node_count, _ = write(national, folder, collapse)
                mode = "collapsed" if collapse else "all"
                print(
                    f"{len(national.interfaces):>10,} {len(national.systems):>8,} {mode:>9} "
                    f"{node_count:>6,} {seconds:>8.2f} {size_bytes / 1e6:>7.2f}"
                    f"  (snitgraf.generate: 98 municipalities, {len(national.usages):,} usages)"
                )
        if biggest is not None and not args.no_browser:
            drawn = time_to_drawn(biggest)
            print(f"Chromium: {biggest.name} drawn {drawn:.2f} s after navigation start")
    return 0


if __name__ == "__main__":
    sys.exit(main())
