"""What an API worker loads at start: scikit-learn only comes with the first delay model read or trained,
so `oms run`'s workers (and every live server of the tests) start without it."""

import subprocess
import sys


def test_importing_the_app_does_not_load_scikit_learn():
    probe = "import sys, oms.api.app; print(sorted(m for m in ('sklearn', 'joblib') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
