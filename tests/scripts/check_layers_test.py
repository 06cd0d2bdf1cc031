"""scripts/check-layers on small trees made for each case: it must fail on each kind of violation,
and pass on a clean tree."""

import subprocess
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check-layers"

# top: high; then the peers mid and side (side not written yet, like a folder another change
# adds); then low. high includes mid and low, mid includes low.
LAYERS = """\
# Layers

```layers
high          # a comment
mid  side/x
low
```
"""
CMAKE = """\
function(gatehouse_library name dir)
endfunction()
gatehouse_library(gh_low low Boost::json)
gatehouse_library(gh_mid mid gh_low)
gatehouse_library(gh_high high gh_mid gh_low)
"""
FILES = {
    "src/low/a.h": '#pragma once\n#include <vector>\n#include "absl/hash/hash.h"\n',
    "src/low/a.cpp": '#include "low/a.h"\n',
    "src/mid/m.h": '#pragma once\n#include "low/a.h"\n',
    "src/high/h.cpp": '#include "mid/m.h"\n#include "low/a.h"\n',
}


class CheckLayersTest(unittest.TestCase):
    def run_check(self, changes=None, doc=LAYERS, cmake=CMAKE, allowed=None):
        with tempfile.TemporaryDirectory() as root:
            files = dict(FILES, **(changes or {}))
            files["docs/architecture.md"] = doc
            files["src/CMakeLists.txt"] = cmake
            if allowed is not None:
                files["scripts/layers-allowed"] = allowed
            for name, text in files.items():
                path = Path(root, name)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
            result = subprocess.run([sys.executable, str(SCRIPT), root], capture_output=True,
                                    text=True)
            return result.returncode, result.stdout + result.stderr

    def assert_fails(self, expected, **kwargs):
        status, output = self.run_check(**kwargs)
        self.assertEqual(status, 1, output)
        self.assertIn(expected, output)

    def test_clean_tree_passes(self):
        status, output = self.run_check()
        self.assertEqual(status, 0, output)
        self.assertIn("clean", output)

    def test_upward_include_fails(self):
        self.assert_fails("src/low/a.cpp:2: low includes mid/m.h, which is above it",
                          changes={"src/low/a.cpp": '#include "low/a.h"\n#include "mid/m.h"\n'})

    def test_include_of_a_peer_fails(self):
        self.assert_fails("src/side/x/s.h:1: side/x includes mid/m.h, which is beside it",
                          changes={"src/side/x/s.h": '#include "mid/m.h"\n'})

    def test_folder_in_no_layer_fails(self):
        self.assert_fails("src/extra/e.h: src/extra is in no layer",
                          changes={"src/extra/e.h": '#include "low/a.h"\n'})

    def test_include_of_folder_in_no_layer_fails(self):
        self.assert_fails("src/mid/m.cpp:1: mid includes extra/e.h, which is in no layer",
                          changes={"src/extra/e.h": "#pragma once\n",
                                   "src/mid/m.cpp": '#include "extra/e.h"\n'})

    def test_library_in_no_layer_fails(self):
        self.assert_fails("gh_extra builds src/extra, which is in no layer",
                          cmake=CMAKE + "gatehouse_library(gh_extra extra)\n")

    def test_missing_link_fails(self):
        self.assert_fails("gh_high includes src/low but does not link gh_low",
                          cmake=CMAKE.replace("gh_mid gh_low)", "gh_mid)"))

    def test_extra_link_fails(self):
        self.assert_fails("gh_mid links gh_high, whose headers src/mid does not include",
                          cmake=CMAKE.replace("gh_mid mid gh_low", "gh_mid mid gh_low gh_high"))

    def test_executable_is_checked(self):
        self.assert_fails("gatehouse includes src/mid but does not link gh_mid",
                          doc=LAYERS.replace("high ", "app\nhigh "),
                          cmake=CMAKE + "gatehouse_executable(gatehouse app gh_high)\n",
                          changes={"src/app/main.cpp": '#include "mid/m.h"\n'})

    def test_allowed_violation_is_printed_and_passes(self):
        status, output = self.run_check(
            changes={"src/low/a.cpp": '#include "mid/m.h"\n'},
            allowed="# why: another change removes it\nlow -> mid\n")
        self.assertEqual(status, 0, output)
        self.assertIn("low includes mid/m.h, which is above it [allowed", output)
        self.assertIn("gh_low includes src/mid but does not link gh_mid [allowed", output)

    def test_stale_allowed_entry_fails(self):
        self.assert_fails("scripts/layers-allowed:2: `low -> mid` matches nothing",
                          allowed="# fixed already\nlow -> mid\n")

    def test_missing_layer_block_is_an_input_error(self):
        status, output = self.run_check(doc="# Layers\n\nno block\n")
        self.assertEqual(status, 2, output)
        self.assertIn("no ```layers block", output)


if __name__ == "__main__":
    unittest.main()
