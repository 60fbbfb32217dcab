# GUI tests (QtTest), run under Xvfb by scripts/test.sh.
