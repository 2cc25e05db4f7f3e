# A thin wrapper around CMake and CTest.
#   make demo              run the harness against the reference server, reports in reports/
#   make test              build with -Wall -Wextra -Werror and run every test, then the
#                          clang ASan+UBSan tree (build-fuzz): unit tests, the fuzz targets
#                          over their corpora and a short run of each (ctest labels
#                          unit, fuzz, malformed)
#                          (FUZZ_TEST_JOBS tests at once there, default twice the cores)
#   make test SANITIZE=1   the first tree under AddressSanitizer and UndefinedBehaviorSanitizer
#                          too (gcc, build-sanitize)
#   make fuzz              each fuzz target for FUZZ_SECONDS (default 60), FUZZ_JOBS at a time,
#                          then a table of executions and coverage (tests/fuzz/README.md)
#   make bench             figures, not pass/fail
#   make package           the Debian package of both programs, in build/ (cpack -G DEB)
SANITIZE ?= 0
ifeq ($(SANITIZE),1)
BUILD ?= build-sanitize
CMAKE_FLAGS += -DSANITIZE=ON
else
BUILD ?= build
endif
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# The clang tree: ASan+UBSan, libFuzzer targets. Its test labels: what runs
# there under make test.
FUZZ_BUILD ?= build-fuzz
FUZZ_CMAKE_FLAGS += -DSANITIZE=ON -DFUZZ=ON
FUZZ_TEST_LABELS ?= ^(unit|fuzz|malformed)$$
# The fuzz runs of make test take wall-clock time, not CPU: twice as many at
# once as there are cores halves their wall time (each then gets about half a
# core for its 30 s).
FUZZ_TEST_JOBS ?= $(shell expr $(JOBS) \* 2)
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= $(JOBS)

.PHONY: all deps build fuzz-build test fuzz demo bench install package clean

all: build

deps:
	@scripts/install-deps

build: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

FUZZ_TREE = CC=clang cmake -S . -B $(FUZZ_BUILD) $(FUZZ_CMAKE_FLAGS) >/dev/null && \
	cmake --build $(FUZZ_BUILD) -j $(JOBS)

fuzz-build: deps
	@$(FUZZ_TREE)

# Both trees run even when the first has a failure; the exit status says
# whether either failed.
test: build
	@rc=0; \
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) || rc=1; \
	$(FUZZ_TREE) || exit 1; \
	ctest --test-dir $(FUZZ_BUILD) --output-on-failure -j $(FUZZ_TEST_JOBS) \
	    -L '$(FUZZ_TEST_LABELS)' || rc=1; \
	exit $$rc

fuzz: fuzz-build
	@scripts/fuzz $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_JOBS)

demo: build
	@scripts/demo $(BUILD)

bench:
	@scripts/install-deps --bench
	@cmake -S . -B build >/dev/null && cmake --build build -j $(JOBS)
	@bench/run build

install: build
	cmake --install $(BUILD)

package: build
	@cd $(BUILD) && cpack -G DEB

clean:
	rm -rf build build-sanitize build-fuzz
