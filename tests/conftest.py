import json
from pathlib import Path

import pytest

HERE = Path(__file__).parent
CORPUS = HERE / "corpus" / "bpmn"
EXPECTED = json.loads((HERE / "corpus" / "expected.json").read_text(encoding="utf-8"))["files"]
SAMPLES = HERE.parent / "samples"


@pytest.fixture
def corpus() -> Path:
    return CORPUS
