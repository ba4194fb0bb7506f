# The course kit's commands. Every target that needs the virtual environment makes it first.
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# nbgrader shells out to alembic: the environment's bin must come first on PATH.
export PATH := $(BIN):$(PATH)
ASSIGNMENTS := $(notdir $(wildcard source/[0-9]*))
# Debian packages used by a target, installed where possible (root with apt-get), else named and skipped.
SYSTEM_PACKAGES := scripts/system-packages.sh
SANDBOX := bubblewrap:bwrap
BROWSER := chromium:chromium,chromium-browser
# npm packages a target uses, installed into the environment's own folder where npm is.
NODE_PACKAGES := scripts/node-packages.sh $(VENV)/node
HUB_PROXY := configurable-http-proxy@5:configurable-http-proxy

.PHONY: setup test demo lab release catalogues clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is needed, found " + sys.version'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,lab]'
	touch $@

setup: $(VENV)/.installed  ## create the virtual environment and install the kit

test: setup  ## run the kit's whole test suite (installs bubblewrap, chromium and JupyterHub's proxy where it can)
	@$(SYSTEM_PACKAGES) $(SANDBOX) $(BROWSER)
	@$(NODE_PACKAGES) $(HUB_PROXY)
	$(BIN)/python -m pytest -n 2 -rs tests

demo: setup  ## grade the bundled demo cohort and print what each learner missed (installs bubblewrap where it can)
	@$(SYSTEM_PACKAGES) $(SANDBOX)
	$(BIN)/autograder demo --out demo-out

# make lab LANG=ja: the release in that language. Only LANG given on make's command line counts
# (the shell's LANG, such as C.UTF-8, is a locale, not the course's language); the recipe runs
# JupyterLab under C.UTF-8 so LANG=ja never reaches the C library as a locale.
COURSE_LANG := $(if $(filter command line,$(origin LANG)),$(LANG),en)

lab: setup  ## open the assignments in JupyterLab (loopback only); make lab LANG=ja opens the Japanese release, JupyterLab in Japanese
	LANG=C.UTF-8 $(BIN)/python -m autograder.lab --lang $(COURSE_LANG) --ServerApp.ip=127.0.0.1

lab-%: setup  ## make lab-ja: the same as make lab LANG=ja
	LANG=C.UTF-8 $(BIN)/python -m autograder.lab --lang $* --ServerApp.ip=127.0.0.1

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
