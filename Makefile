# The two commands of README.md:
#   make demo   installs what is missing, builds, runs the end-to-end demo
#   make test   installs what is missing, builds, runs every test
.PHONY: demo test setup build

demo: build
	scripts/demo.sh

test: build
	scripts/run-tests.sh

build: setup
	scripts/build.sh

setup:
	scripts/setup.sh
