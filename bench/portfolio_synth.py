"""Many services for a portfolio: copies of the barnehage sample's three lite stages, each varied.

``make_services(folder, n)`` writes ``folder/<service>/{1-manual,2-eskjema,3-integrert}.lite.xml``
for ``n`` services. Every service is the sample with, chosen per service from a seed:

* its own topic in the process name and in every task name ("… – Skoleskyss"), the same in all
  three stages so the tasks still match;
* its own minutes: the sample's minutes (and low/high) times a factor per service and a jitter per
  task, so every service saves a different amount;
* its own lane names for some roles (Saksbehandler may be "Fagansvarlig", Arkiv "Dokumentsenter"),
  the same in all its stages, so roles differ across the portfolio;
* ``repeat`` copies of every task (chained one after the other), for bigger stages: ``repeat=2``
  gives stages of 46, 32 and 24 tasks, ``repeat=3`` 69, 48 and 36 (about 50 on average).

Used by the portfolio tests and by ``bench/bench_portfolio.py``. Run it to try the command::

    python bench/portfolio_synth.py 200 /tmp/portfolio && procmap portfolio /tmp/portfolio --cases 500
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Optional

from lxml import etree

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "barnehage"
STAGE_FILES = ("1-manual.lite.xml", "2-eskjema.lite.xml", "3-integrert.lite.xml")
TOPICS = ("Barnehageplass", "Skoleskyss", "Byggesøknad", "Startlån", "Parkeringstillatelse", "Støttekontakt",
          "Kulturskole", "Tilskudd til lag og foreninger", "Skjenkebevilling", "Renovasjon", "Ledsagerbevis",
          "Bostøtte", "Eiendomsskatt", "Matrikkelbrev", "Vigsel", "Avlastning", "Grave- og arbeidsvarsel",
          "Feiing og tilsyn", "Utslippstillatelse", "Friplass i SFO")
LANE_NAMES = {"Saksbehandler": ("Saksbehandler", "Saksbehandler", "Fagansvarlig", "Konsulent"),
              "Servicetorget": ("Servicetorget", "Innbyggertorget"),
              "Arkiv": ("Arkiv", "Arkiv", "Dokumentsenter")}


def _vary(root: etree._Element, rng: random.Random, topic: str, factor: float, jitter: dict[str, float],
          lanes: dict[str, str], repeat: int) -> None:
    root.set("name", f"{topic}: {root.get('name', '')}")
    for lane in root.iter("lane"):
        lane.set("name", lanes.get(lane.get("name", ""), lane.get("name", "")))
    flows = list(root.iter("flow"))
    for task in list(root.iter("task")):
        tid = task.get("id", "")
        task.set("name", f"{task.get('name')} – {topic}")
        scale = factor * jitter.setdefault(tid, rng.uniform(0.7, 1.4))
        for attr in ("minutes", "low", "high"):
            if task.get(attr) is not None:
                task.set(attr, f"{float(task.get(attr, '0')) * scale:.1f}")
        if repeat < 2:
            continue
        last, base = tid, task.get("name")
        for k in range(2, repeat + 1):
            copy = etree.Element("task", dict(task.attrib))
            copy.set("id", f"{tid}__{k}")
            copy.set("name", f"{base} ({k})")
            copy.tail = task.tail
            task.addnext(copy)
            task = copy
            flow = etree.SubElement(root, "flow")
            flow.set("from", last)
            flow.set("to", copy.get("id", ""))
            last = copy.get("id", "")
        for flow in flows:  # what followed the task now follows its last copy
            if flow.get("from") == tid:
                flow.set("from", last)


def make_services(folder: Path, n: int, *, repeat: int = 1, seed: int = 0, stages: Optional[int] = None,
                  numbered: bool = True) -> list[Path]:
    """Write ``n`` varied copies of the sample service into ``folder``; returns their folders in order.
    Folders are named "0001 Skoleskyss" (``numbered=False``: "Skoleskyss", for at most 20 services)."""
    if not numbered and n > len(TOPICS):
        raise ValueError(f"at most {len(TOPICS)} services can be named by their topic alone")
    folder = Path(folder)
    sources = [etree.parse(str(SAMPLES / name)) for name in STAGE_FILES[: stages or len(STAGE_FILES)]]
    made = []
    for i in range(n):
        rng = random.Random(seed * 1_000_003 + i)
        topic = TOPICS[i % len(TOPICS)]
        factor = rng.uniform(0.3, 3.0)
        lanes = {name: rng.choice(options) for name, options in LANE_NAMES.items()}
        service = folder / (f"{i + 1:04d} {topic}" if numbered else topic)
        service.mkdir(parents=True, exist_ok=True)
        jitter: dict[str, float] = {}
        for name, tree in zip(STAGE_FILES, sources):
            root = etree.fromstring(etree.tostring(tree))
            _vary(root, rng, topic, factor, jitter, lanes, repeat)
            (service / name).write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
        made.append(service)
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="how many services")
    parser.add_argument("folder", type=Path, help="where to write them (one sub-folder per service)")
    parser.add_argument("--repeat", type=int, default=1, help="copies of every task (3: about 50 tasks a stage)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--plain-names", action="store_true", help="name the folders by topic alone (n <= 20)")
    args = parser.parse_args()
    made = make_services(args.folder, args.n, repeat=args.repeat, seed=args.seed, numbered=not args.plain_names)
    print(f"wrote {len(made)} services into {args.folder}")


if __name__ == "__main__":
    main()
