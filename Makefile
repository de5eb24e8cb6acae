# Penneo Desk — the two front-door commands:
#   make run    install what is missing, build, open the app (demo workspace by default)
#   make test   install what is missing, then every check and test (lint, Rust, UI, end to end)
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(HOME)/.cargo/bin:$(PATH)
CARGO ?= cargo
# nextest when the machine has it (faster, clearer), cargo test otherwise
NEXTEST := $(shell $(CARGO) nextest --version >/dev/null 2>&1 && echo yes)

# `make test` prints how long each of its parts took (scripts/timing.sh); other goals do not.
ifeq ($(MAKECMDGOALS),test)
export TIMING_FILE := $(or $(CARGO_TARGET_DIR),target)/make-test-$(shell date +%s).timing
endif
T := @scripts/timing.sh

.PHONY: fmt run test setup setup-test ui lint lint-ui test-rust test-ui test-rust-and-ui test-e2e test-package app-for-tests bindings app sim dist dist-ui dist-bundles bench soak clean

run: setup ui
	$(CARGO) run -p penneo-desk

setup:
	@scripts/setup.sh

setup-test:
	$(T) begin setup-test
	@scripts/setup.sh --test
	$(T) end setup-test

ui:
	npm --prefix ui run build --silent

app: ui
	$(CARGO) build -p penneo-desk --bins

sim:
	$(CARGO) run -p penneo-sim -- --seed demo --auto-approve

test: setup-test ui lint test-rust-and-ui test-e2e test-package
	$(T) report
	@echo "make test: every check passed"

# One Rust build serves clippy and the tests: cargo compiles our own crates through clippy-driver
# (what `cargo clippy` does for a check), warnings denied, while it builds them for the tests. A
# separate `cargo clippy` would compile every dependency a second time, in check mode (7-8 of the
# 20 minutes of a cold `make test` on 2 cores). Dependencies are built by plain rustc either way.
# Every target of `make test` uses the same settings, so none rebuilds what another built.
TEST_TARGETS := test lint test-rust test-rust-and-ui app-for-tests test-e2e test-package soak
$(TEST_TARGETS): export RUSTC_WORKSPACE_WRAPPER := clippy-driver
$(TEST_TARGETS): export CLIPPY_ARGS := -D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__

# Rust and the UI formatted the way `make lint` checks them (rustfmt.toml, ui/.prettierrc.json).
fmt:
	$(CARGO) fmt --all
	npm --prefix ui run format --silent

# The UI part: svelte-check (types), Prettier (format), ESLint, knip (dead exports and dependencies).
# Supply chain: `cargo deny check licenses bans sources` (deny.toml: the licences the app may ship,
# crates.io only, no OpenSSL; cargo-deny comes from `make setup-test`) and scripts/ui-licenses.mjs
# (every UI production package names its licence).
# The Rust part is `cargo clippy --workspace --all-targets -- -D warnings`, done by the test build.
lint:
	$(T) begin lint
	$(CARGO) fmt --all --check
	$(CARGO) deny --locked check licenses bans sources
	node scripts/ui-licenses.mjs >/dev/null
	$(T) begin build
	scripts/beside.sh "UI checks" "$(MAKE) --no-print-directory lint-ui" $(CARGO) test --workspace --locked --no-run
	$(T) end build
	$(T) end lint

# The UI's checks need only Node: `make lint` runs them beside the Rust build (scripts/beside.sh).
lint-ui:
	$(T) begin lint-ui
	npm --prefix ui run check
	npm --prefix ui run lint --silent
	$(T) end lint-ui

# Also runs scripts/sim-flows.sh (bash + curl against the simulator binary) through
# crates/penneo-sim/tests/flows_script.rs.
test-rust:
	$(T) begin test-rust
ifeq ($(NEXTEST),yes)
	$(CARGO) nextest run --workspace --locked --no-fail-fast
else
	$(CARGO) test --workspace --locked --no-fail-fast
endif
	$(T) end test-rust

# `make test` runs the UI's tests beside the Rust tests: many Rust tests wait on a simulator,
# a child process or a timer, which leaves a core to Vitest.
test-rust-and-ui:
	scripts/beside.sh "UI tests" "$(MAKE) --no-print-directory test-ui" $(MAKE) --no-print-directory test-rust

test-ui:
	$(T) begin test-ui
	npm --prefix ui test
	node --test scripts/bench/ scripts/tauri-config.test.mjs
	$(T) end test-ui

# The window runs with DejaVu as its only fonts, as on a fresh Debian machine (e2e/fonts/);
# `make test-e2e E2E_FONTS=system` runs it with this machine's own fonts instead.
test-e2e: app-for-tests
	$(T) begin test-e2e
	cd e2e && node --test --test-concurrency=1 tests/
	$(T) end test-e2e

# The installed-package test: the .deb of the test build, installed with apt-get, started, removed.
test-package: app-for-tests
	$(T) begin test-package
	scripts/test-package.sh
	$(T) end test-package

# Release bundles for Linux (.deb and .rpm) with the Tauri CLI pinned in ui/package.json; the
# AppImage, Windows and macOS bundles come from .github/workflows/release.yml. The UI is built into
# a folder of its own beside the release build (not ui/dist, which `make test` rewrites), so CI can
# run `make dist-bundles` beside `make test` (.ci/run).
DIST_UI = $(abspath $(or $(CARGO_TARGET_DIR),target))/dist-ui
dist: dist-ui dist-bundles

dist-ui: setup
	npm --prefix ui run build --silent -- --outDir "$(DIST_UI)"

dist-bundles:
	ui/node_modules/.bin/tauri build --bundles deb,rpm --ci \
	  --config '{"build": {"frontendDist": "$(DIST_UI)", "beforeBuildCommand": null}}'
	@scripts/dist-sizes.sh

# The app binary for the end-to-end tests, built the way the Rust tests build it (one feature
# set for the whole workspace, dev-dependencies included). After test-rust this is a no-op;
# `make app` resolves features for the app alone and would rebuild tokio/hyper/gtk/tauri (3-4
# minutes on 2 cores) just to get the same program.
app-for-tests: ui
	$(CARGO) test --workspace --locked --no-run

# Figures, not tests: builds in release, measures each figure of issue 16 beside a baseline from
# the same run and prints one table (also in $CARGO_TARGET_DIR or target/, bench/report.md).
# `make bench QUICK=1`: smaller counts, 60 s idle; `ONLY=core,notice,upload,sizes,bundle,window,scroll`: some.
QUICK ?=
ONLY ?=
bench: setup-test ui
	BENCH_QUICK=$(QUICK) BENCH_ONLY=$(ONLY) node scripts/bench/run.mjs

# Figures of issue 15, the long versions of what `make test` runs short: the kill test (100 runs
# of random SIGKILLs during sends), fault storms on every endpoint family, the hostile input
# corpus, the property tests. Prints each table and a closing line per figure (KILL TEST,
# FAULT STORMS, CORPUS, PROPERTIES).
SOAK_KILL_RUNS ?= 100
SOAK_STORM_ROUNDS ?= 10
# The property pass builds the test binary with the `soak` profile (Cargo.toml: optimised, debug
# checks on): about 12 s of CPU per 1,000 cases of all the properties in a debug build would make
# the million cases hours. `make soak SOAK_PROPTEST_CASES=10000` for a shorter pass.
SOAK_PROPTEST_CASES ?= 1000000
soak: setup-test
	KILL_RUNS=$(SOAK_KILL_RUNS) $(CARGO) test -p desk-core --locked --test desk -- kill_soak:: --nocapture --test-threads=1
	STORM_ROUNDS=$(SOAK_STORM_ROUNDS) STORM_FAULTS=150 STORM_STALLS=6 $(CARGO) test -p desk-core --locked --test desk -- fault_storms:: --nocapture
	$(CARGO) test -p desk-core --locked --test desk -- corpus:: --nocapture
	PROPTEST_CASES=$(SOAK_PROPTEST_CASES) $(CARGO) test --profile soak -p desk-core --locked --test desk -- properties::
	@echo "PROPERTIES: 7 properties, $(SOAK_PROPTEST_CASES) cases each (the export round trip a tenth), no failure"

# Rewrites ui/src/lib/bindings.ts from the Rust command signatures (tauri-specta).
bindings:
	UPDATE_BINDINGS=1 $(CARGO) test -p penneo-desk --lib bindings_are_fresh -- --exact tests::bindings_are_fresh

clean:
	$(CARGO) clean
	rm -rf ui/dist ui/node_modules e2e/node_modules
