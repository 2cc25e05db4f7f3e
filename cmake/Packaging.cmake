# The Debian package of both programs: `make package`, or `cpack -G DEB` in a
# build tree. What goes into it is what the install() rules install (the
# programs, the harness's data directory, the man pages and the documentation:
# CMakeLists.txt, harness/, reference/, docs/), under /usr whatever
# CMAKE_INSTALL_PREFIX says. An installed authconform finds its data next to
# itself (<prefix>/bin/../share/authconform, harness/src/cli/datadir.c), so the
# package works under any prefix the binary was configured with.
# tests/package/README.md describes the layout and the tests of the package.
#
# Trees that build test-only code are not packaged: one with authref's planted
# defects (authref is not installed there), the sanitizer trees and the fuzz
# tree. AUTHCONFORM_PACKAGED tells the tests (tests/package) which trees are.
if(AUTHREF_DEFECTS OR FUZZ OR SANITIZE)
    set(AUTHCONFORM_PACKAGED OFF)
    return()
endif()
set(AUTHCONFORM_PACKAGED ON)

set(AUTHCONFORM_PACKAGE_MAINTAINER "authconform maintainers <maintainers@authconform.invalid>"
    CACHE STRING "Maintainer field of the Debian package")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME authconform)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${AUTHCONFORM_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
# authconform_<version>_<arch>.deb
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)

find_program(AUTHCONFORM_DPKG dpkg)
if(AUTHCONFORM_DPKG)
    execute_process(COMMAND ${AUTHCONFORM_DPKG} --print-architecture
                    OUTPUT_VARIABLE CPACK_DEBIAN_PACKAGE_ARCHITECTURE
                    OUTPUT_STRIP_TRAILING_WHITESPACE)
endif()

# Depends: the shared libraries the two programs link, as dpkg-shlibdeps
# (package dpkg-dev) finds them (libc6, libcurl4, libjansson4, libjwt0,
# libmicrohttpd12, libpq5, libssl3, libcrypt1). The tools the programs run:
#   - PostgreSQL 15's initdb and pg_ctl, run by the embedded default of
#     `authconform run` (no --target) through share/authconform/scripts/pg-throwaway;
#     a run with --target and authref against an existing database need no
#     server here, so it is recommended, not required;
#   - git, for `authconform run --repo` only;
#   - bash, runuser (util-linux) and /bin/sh are essential packages.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "postgresql-15")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "git")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
# The synopsis line is CPACK_PACKAGE_DESCRIPTION_SUMMARY; this is the long text.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"authconform replays the flows of a JWT auth contract (signup, signin,
Bearer-JWT protected access, per-user isolation) and a 12-item security
checklist against any target URL, and writes JUnit XML, JSON, Markdown,
HTML and SARIF reports for CI and for people.
.
authref is the reference server of the contract on PostgreSQL, the
known-good implementation the harness is proven against. Without --target,
authconform run starts a throwaway PostgreSQL and authref and judges them.")

# cpack runs the build tree's preinstall target first, which by default checks
# every target of the tree (the tests' too): tens of seconds on a busy
# machine. `make package` builds the tree before cpack, so preinstall need not.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

include(CPack)
