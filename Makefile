# Doorstep: `make run` (build, local sync server with demo data, serve the PWA) and
# `make test` (every test). Both install what they need first (tools/setup.sh).
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(HOME)/.cargo/bin:$(PATH)

# The wasm toolchain: Debian's cargo/rustc 1.96 with build-std (see ../shared/toolchain.md).
WASM_CARGO := env PATH=/usr/bin:$(HOME)/.cargo/bin:$(PATH) RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=target/wasm \
	CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 /usr/bin/cargo
WASM_FLAGS := --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort

.PHONY: setup run test test-native test-wasm test-e2e dist bench size size-check lint

setup:
	bash tools/setup.sh

dist: setup
	cargo xtask dist

run: dist
	cargo build -q -p doorstep-cli
	node tools/run.mjs

# Each part in turn, with its time (CI has to stay well under 40 minutes): printed at the end.
# dist/ is built once, as a part of its own (DIST_DEP= keeps the later parts from building it again).
TEST_PARTS := setup lint test-native test-wasm dist test-e2e size-check
DIST_DEP := dist
test:
	@mkdir -p target; : > target/test-times.txt
	@for part in $(TEST_PARTS); do start=$$(date +%s); $(MAKE) --no-print-directory $$part DIST_DEP=; \
		echo "  $$part: $$(( $$(date +%s) - start )) s" >> target/test-times.txt; done
	@echo "make test: all suites passed; time per part:"; cat target/test-times.txt

lint: setup
	cargo fmt --all --check
	cargo clippy -q -p doorstep-core -p doorstep-store -p doorstep-sync -p doorstep-cli -p xtask -p doorstep-bench --all-targets -- -D warnings
	# The app, the IndexedDB backend and the bench's browser entry points are wasm-only code,
	# and the replicator must build for the browser: linted for the wasm target.
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
