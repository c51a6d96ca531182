"""scripts/fuzz_deferred.py on one small sample: no discrepancy, and it still tries both ways of reading.

The full run (every corpus file, ~34 000 reads) takes a minute or two; see bench/README.md.
"""

import json
import sys
from collections import Counter
from pathlib import Path

from procmap.bpmn import _defer
from conftest import SAMPLES

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import fuzz_deferred  # noqa: E402
import fuzz_variants  # noqa: E402

MANUAL = SAMPLES / "barnehage" / "1-manual.bpmn"


def test_the_fuzzer_finds_no_discrepancy_in_a_sample_and_tries_both_reads(tmp_path, capsys):
    results = tmp_path / "results.json"
    status = fuzz_deferred.main(["--files", str(MANUAL), "--limit", "40", "--jobs", "1",
                                 "--keep", str(tmp_path / "kept"), "--json", str(results)])
    assert status == 0, capsys.readouterr().out
    found = json.loads(results.read_text(encoding="utf-8"))["results"]
    assert len(found) == 80 and {r["mode"] for r in found} == set(fuzz_deferred.MODES)
    assert not fuzz_deferred.discrepancies(found)
    reads = Counter(r["read"] for r in found)
    assert reads["deferred"] >= 10 and reads["whole"] >= 10  # a fuzzer that stops trying either read checks nothing


def test_the_fuzzer_sees_a_process_the_deferred_read_would_lose(tmp_path, monkeypatch):
    """The reference really parses the whole file: with the check for model elements after the diagram off,
    a process written after it is missing from the deferred read only."""
    monkeypatch.setattr(_defer, "_may_hold", lambda *args: False)
    path = tmp_path / "late.bpmn"
    path.write_bytes(dict(fuzz_variants.variants(MANUAL.read_bytes()))["late-process"])
    verdict, details, read = fuzz_deferred.check(path)
    assert (verdict, read) == ("DIFF", "deferred")
    assert details[0].startswith("processes: deferred 1, whole 2")
