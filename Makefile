# The two commands that matter: `make run` and `make test`. Both install what is missing first.
.PHONY: deps test-tools build build-all build-asan run test test-unit bench soak fuzz format clean

BUILD      := build/release
BUILD_ASAN := build/asan
BUILD_FUZZ := build/fuzz
JOBS       ?= $(shell nproc)

# ccache keys on paths relative to the checkout, and not on the build directory (which -g would
# add), so a fresh clone elsewhere reuses the cache.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

deps:
	@scripts/install-deps

# The test tools from npm (the OAuth2 server oidc-provider; the OAuth2 clients openid-client and
# jose, and playwright-core, which drives Debian's chromium), as their lock files say; skipped
# when already installed from the same lock file.
test-tools: deps
	@scripts/install-npm-deps

$(BUILD)/build.ninja: CMakeLists.txt CMakePresets.json
	cmake --preset release >/dev/null

# The gateway alone, as `make run` and a user need it; the tests and the micro-benchmarks are
# built by the targets that run them, as `make check` builds its tests.
build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target gatehouse

build-all: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

$(BUILD_ASAN)/build.ninja: CMakeLists.txt CMakePresets.json
	cmake --preset asan >/dev/null

build-asan: deps $(BUILD_ASAN)/build.ninja
	cmake --build $(BUILD_ASAN) -j $(JOBS)

# Builds, then starts the demo backend and the gateway with examples/quickstart.yaml.
run: build
	@scripts/run-quickstart

# Every test: the black-box files that start, call and command the shipped binary, on the release
# build; then the unit tests, the fuzz-corpus replays and every black-box test under
# AddressSanitizer + UndefinedBehaviorSanitizer (tests/CMakeLists.txt says why once). The unit tests
# are compiled once, for the sanitized run, where a memory error fails them too; `make test-unit`
# runs them on release.
test: test-tools build build-asan
	cd $(BUILD) && ctest --output-on-failure -j 4 -L shipped
	cd $(BUILD_ASAN) && ctest --output-on-failure -j 2 -L 'unit|fuzz'
	cd $(BUILD_ASAN) && ctest --output-on-failure -j 4 -L integration

test-unit: build-all
	cd $(BUILD) && ctest --output-on-failure -j 2 -L 'unit|fuzz'

# Each libFuzzer target (clang, ASan + UBSan) for FUZZ_SECONDS, one after another; inputs that
# reach new coverage are merged into tests/fuzz/corpus/<target>/. tests/fuzz/README.md says more.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.cpp)))

$(BUILD_FUZZ)/build.ninja: CMakeLists.txt CMakePresets.json
	cmake --preset fuzz >/dev/null

fuzz: deps $(BUILD_FUZZ)/build.ninja
	cmake --build $(BUILD_FUZZ) -j $(JOBS) --target $(FUZZ_TARGETS)
	tests/fuzz/run $(BUILD_FUZZ) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Gatehouse beside nginx (and haproxy) on this machine, same backend, same load; prints ratios.
bench: build-all
	bench/run

# Not part of `make test`: the gateway under a mixed load for SOAK_MINUTES, with reloads and backend
# restarts; fails if its memory or descriptors grow after warm-up (bench/soak/soak.py). It needs
# only the gateway binary.
SOAK_MINUTES ?= 10
soak: build
	bench/soak/soak.py --minutes $(SOAK_MINUTES)

format:
	find src tests bench -name '*.cpp' -o -name '*.h' | xargs clang-format -i

clean:
	rm -rf build
