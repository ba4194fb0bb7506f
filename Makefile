# The course kit's commands. Every target that needs the virtual environment makes it first.
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# nbgrader shells out to alembic: the environment's bin must come first on PATH.
export PATH := $(BIN):$(PATH)
ASSIGNMENTS := $(notdir $(wildcard source/[0-9]*))

.PHONY: setup test demo lab lab-ja release catalogues clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is needed, found " + sys.version'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed  ## create the virtual environment and install the kit

test: setup  ## run the kit's whole test suite
	$(BIN)/python -m pytest -n 2 tests

demo: setup  ## grade the bundled demo cohort and print what each learner missed
	$(BIN)/autograder demo --out demo-out

lab: setup  ## open the assignments in JupyterLab (loopback only)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=assignments

release: setup  ## regenerate assignments/ and solutions/ from source/ with nbgrader, then their translations (assignments-ja/ ...)
	for a in $(ASSIGNMENTS); do \
	  $(BIN)/nbgrader generate_assignment $$a --force --log-level=WARN && \
	  $(BIN)/nbgrader generate_solution $$a --force --log-level=WARN || exit 1; \
	done
	$(BIN)/python -m autograder.translation release

catalogues: setup  ## sync every translation catalogue (locale/<lang>/*.po) with the English and list what needs a translator
	$(BIN)/python -m autograder.translation catalogues

clean:
	rm -rf $(VENV) demo-out gradebook.db
