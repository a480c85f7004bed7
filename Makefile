# The two commands of the README. Both build the environment on first use.
.PHONY: demo test env

VENV = $(shell bash tools/setup_env.sh)
# The environment is shared by clones and its editable install points at the
# checkout that last set it up: this checkout first on the path, so `make`
# always runs its own code.
export PYTHONPATH := $(CURDIR)$(if $(PYTHONPATH),:$(PYTHONPATH))

env:
	@bash tools/setup_env.sh

# The main job on its embedded default.
demo:
	$(VENV)/bin/python tools/demo.py

test:
	$(VENV)/bin/python -m pytest tests -q -p no:cacheprovider
