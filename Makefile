# Riffle's two set-up commands, `make run` and `make test`, install whatever Debian packages are
# missing first, so a fresh machine needs nothing else. `make bench` measures speed and memory.

# Swift lives in /opt/swift on the project's machines; keep it reachable from a bare environment.
export PATH := $(PATH):/opt/swift/usr/bin

SWIFT ?= swift
ARGS ?=

.PHONY: run test bench fuzz build deps test-deps clean

## Install missing build and run dependencies (a no-op, under a second, when all are there).
deps:
	@scripts/install-deps.sh

## The same, plus the tools the tests drive (tmux, sox, ffprobe, aplay).
test-deps:
	@scripts/install-deps.sh --test

## Build in release mode.
build: deps
	$(SWIFT) build -c release --product riffle

## Build and start Riffle (pass arguments with ARGS="...").
run: build
	.build/release/riffle $(ARGS)

## Check the module map, then build and run every test, then check the HTTP API against its OpenAPI
## document with schemathesis (installed from PyPI into its own venv the first time).
test: test-deps
	scripts/check-layout.py
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	scripts/check-api-contract.sh .build/debug/riffle

## Build in release mode and run the benchmarks (the studio's in tmux); figures go to stdout and bench-results/.
## MusicGen's writes a 2.4 GB musicgen-small-shaped checkpoint of random weights to a temporary folder and,
## when $(MGVENV) holds torch and transformers, times PyTorch's decoder in the same alternating rounds.
MGVENV ?= /tmp/mgvenv
bench: test-deps
	$(SWIFT) build -c release --product riffle-bench
	$(SWIFT) build -c release --product riffle
	@mkdir -p bench-results
	( .build/release/riffle-bench composer && echo && .build/release/riffle-bench mastering && echo && \
	  .build/release/riffle-bench composer-quality && echo && .build/release/riffle-bench audio && echo && \
	  .build/release/riffle-bench app && echo && .build/release/riffle-bench studio && echo && \
	  .build/release/riffle-bench musicgen-kernels && echo && MGVENV=$(MGVENV) .build/release/riffle-bench musicgen && echo && \
	  .build/release/riffle-bench musicgen-precision && echo && scripts/bench-server.sh .build/release/riffle ) \
	  | tee bench-results/latest.txt

## Hostile input, corrupt files and kill -9 cycles (about 7 minutes; not part of make test).
fuzz: test-deps
	$(SWIFT) build --product riffle
	python3 scripts/fuzz/requests.py .build/debug/riffle
	python3 scripts/fuzz/options.py .build/debug/riffle
	python3 scripts/fuzz/audio.py .build/debug/riffle
	python3 scripts/fuzz/kill.py .build/debug/riffle

clean:
	rm -rf .build bench-results
