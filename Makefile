# Doorstep: `make run` (build, local sync server with demo data, serve the PWA) and
# `make test` (every test). Both install what they need first (tools/setup.sh).
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(HOME)/.cargo/bin:$(PATH)

# The wasm toolchain: Debian's cargo/rustc 1.96 with build-std (see ../shared/toolchain.md).
WASM_CARGO := env PATH=/usr/bin:$(HOME)/.cargo/bin:$(PATH) RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=target/wasm \
	CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 /usr/bin/cargo
WASM_FLAGS := --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort

# Set-up and dist/ as prerequisites; a timed part of `make test` runs with them empty.
SETUP_DEP := setup
DIST_DEP := dist

.PHONY: setup run test test-native test-wasm test-e2e dist bench size size-check lint lint-native lint-wasm lane-native lane-wasm

setup:
	bash tools/setup.sh

dist: $(SETUP_DEP)
	cargo xtask dist

run: dist
	cargo build -q -p doorstep-cli
	node tools/run.mjs

# Every part with its time (CI has to stay well under 40 minutes), printed at the end. After
# set-up, two lanes run side by side, each part in turn: native (lint, tests: the fault
# campaign mostly waits on server restarts) and wasm (lint, tests in Chromium, dist/). The
# end-to-end tests and the size check follow on a quiet machine. Set-up and dist/ are built
# once (SETUP_DEP= and DIST_DEP= keep the parts from running them again).
# Each part runs without the lanes' jobserver (MAKEFLAGS=), so cargo keeps both cores for its
# own jobs while the other lane waits on a server or a browser.
TIMED = for part in $(1); do start=$$(date +%s); MAKEFLAGS= $(MAKE) --no-print-directory $$part SETUP_DEP= DIST_DEP=; \
	echo "  $$part: $$(( $$(date +%s) - start )) s" >> target/test-times.txt; done
test:
	@mkdir -p target; : > target/test-times.txt
	@$(call TIMED,setup)
	@start=$$(date +%s); $(MAKE) --no-print-directory -j2 --output-sync=line lane-native lane-wasm; \
		echo "  (both lanes: $$(( $$(date +%s) - start )) s)" >> target/test-times.txt
	@$(call TIMED,test-e2e size-check)
	@echo "make test: all suites passed; time per part:"; cat target/test-times.txt

lane-native:
	@$(call TIMED,lint-native test-native)
lane-wasm:
	@$(call TIMED,lint-wasm test-wasm dist)

lint: lint-native lint-wasm

lint-native: $(SETUP_DEP)
	cargo fmt --all --check
	cargo clippy -q -p doorstep-core -p doorstep-store -p doorstep-sync -p doorstep-cli -p xtask -p doorstep-bench --all-targets -- -D warnings

# The app, the IndexedDB backend and the bench's browser entry points are wasm-only code, and
# the replicator must build for the browser: linted for the wasm target.
lint-wasm: $(SETUP_DEP)
	$(WASM_CARGO) clippy -q -p doorstep -p doorstep-store -p doorstep-sync --all-targets $(WASM_FLAGS) -- -D warnings
	$(WASM_CARGO) clippy -q -p doorstep-bench --lib $(WASM_FLAGS) -- -D warnings

test-native:
	rm -rf target/tmp/sync-figures
	cargo test -p doorstep-core -p doorstep-store -p doorstep-sync -p doorstep-cli 2>&1 | tee target/test-native.log | grep -E '^(test result|running|error)' || true
	@grep -q 'test result: FAILED\|^error' target/test-native.log && { cat target/test-native.log; exit 1; } || true
	@cat target/tmp/sync-figures/*.json 2>/dev/null || true
	@awk '/test result:/ {p+=$$4; f+=$$6} END {printf "native tests: %d passed, %d failed\n", p, f; exit (f>0 || p==0)}' target/test-native.log

test-wasm:
	$(WASM_CARGO) test -p doorstep -p doorstep-core -p doorstep-store $(WASM_FLAGS) 2>&1 | tee target/test-wasm.log | grep -E '^(test result|Running|error)' || true
	# The replicator's browser transport on real fetch (its other tests are native).
	$(WASM_CARGO) test -p doorstep-sync --test web $(WASM_FLAGS) 2>&1 | tee -a target/test-wasm.log | grep -E '^(test result|Running|error)' || true
	@grep -q 'FAILED\|^error' target/test-wasm.log && { cat target/test-wasm.log; exit 1; } || true
	@awk '/test result:/ {p+=$$4; f+=$$6} END {printf "wasm tests in Chromium: %d passed, %d failed\n", p, f; exit (f>0 || p==0)}' target/test-wasm.log

test-e2e: $(DIST_DEP)
	node --test --test-concurrency=1 --test-reporter=spec tests/e2e/ 2>&1 | tee target/test-e2e.log
	@awk '/^ℹ pass/ {p=$$3} /^ℹ fail/ {f=$$3} END {printf "end-to-end tests in Chromium: %d passed, %d failed\n", p, f; exit (f>0 || p==0)}' target/test-e2e.log

bench: dist
	cargo xtask bench-wasm
	node tools/bench.mjs

# Brotli sizes only: every file, each lazy chunk, the first screen (what / fetches before it
# renders, measured in Chromium; budget 150 kB) and the total; JSON on the last line.
size: dist
	node tools/bench.mjs --size

# Part of `make test`: the first screen (what / fetches before it renders) within 150 kB brotli.
size-check: $(DIST_DEP)
	node tools/bench.mjs --size --strict
