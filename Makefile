# A thin wrapper around CMake and CTest.
#   make demo              run the harness against the reference server, reports in reports/
#   make test              build with -Wall -Wextra -Werror and run every test
#   make test SANITIZE=1   the same under AddressSanitizer and UndefinedBehaviorSanitizer
#   make bench             figures, not pass/fail
SANITIZE ?= 0
ifeq ($(SANITIZE),1)
BUILD ?= build-sanitize
CMAKE_FLAGS += -DSANITIZE=ON
else
BUILD ?= build
endif
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps build test demo bench install clean

all: build

deps:
	@scripts/install-deps

build: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

demo: build
	@scripts/demo $(BUILD)

bench:
	@scripts/install-deps --bench
	@cmake -S . -B build >/dev/null && cmake --build build -j $(JOBS)
	@bench/run build

install: build
	cmake --install $(BUILD)

clean:
	rm -rf build build-sanitize
