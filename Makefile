# The two commands of the README. Both build the environment on first use.
.PHONY: demo test env

VENV = $(shell bash tools/setup_env.sh)
export PYTHONPATH := $(CURDIR)$(if $(PYTHONPATH),:$(PYTHONPATH))

env:
	@bash tools/setup_env.sh

# The main job on its embedded default.
demo:
	$(VENV)/bin/python tools/demo.py

test:
	$(VENV)/bin/python -m pytest tests -q -p no:cacheprovider
