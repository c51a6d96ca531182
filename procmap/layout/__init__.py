"""Layout: where every shape of a stage goes, as a Scene in diagram units, before anything is painted.

- ``scene``: the Scene and its items, band specs, shape sizes;
- ``banded``: procmap's own layout, one band per role, and its edge router;
- ``modeller``: the modeller's own drawing (BPMNDI), and its repairs;
- ``dot``: Graphviz ranks for the banded layout (``--layout dot``);
- ``route``: columns and orthogonal routes; ``text``: measuring and cutting text.
"""

from procmap.layout.banded import banded_scene, summary_scene, transplant_scene
from procmap.layout.modeller import di_scene
from procmap.layout.scene import SIZES, BandSpec, Scene, Sizes, model_bands, natural_heights, node_size

__all__ = ["SIZES", "BandSpec", "Scene", "Sizes", "banded_scene", "di_scene", "model_bands", "natural_heights",
           "node_size", "summary_scene", "transplant_scene"]
