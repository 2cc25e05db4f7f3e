# Every dependency is a Debian 12 package found with pkg-config. A missing one
# stops configure with the name of the package that provides it.
find_package(PkgConfig REQUIRED)

function(authconform_require name module debian_package)
    pkg_check_modules(${name} QUIET IMPORTED_TARGET GLOBAL ${module})
    if(NOT ${name}_FOUND)
        message(FATAL_ERROR
            "${module} not found by pkg-config. Install the Debian package "
            "'${debian_package}' (apt-get install ${debian_package}), or run scripts/install-deps.")
    endif()
endfunction()

authconform_require(CURL      libcurl        libcurl4-openssl-dev)
authconform_require(JANSSON   jansson        libjansson-dev)
authconform_require(JWT       libjwt         libjwt-dev)
authconform_require(OPENSSL   openssl        libssl-dev)
authconform_require(CUNIT     cunit          libcunit1-dev)
authconform_require(PQ        libpq          libpq-dev)
authconform_require(MHD       libmicrohttpd  libmicrohttpd-dev)
authconform_require(XCRYPT    libxcrypt      libcrypt-dev)

# The harness reads the negotiated TLS version through OpenSSL's handle:
# libcurl must be the OpenSSL flavour, not GnuTLS or NSS.
find_program(CURL_CONFIG curl-config)
if(CURL_CONFIG)
    execute_process(COMMAND ${CURL_CONFIG} --ssl-backends
                    OUTPUT_VARIABLE CURL_SSL_BACKENDS OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT CURL_SSL_BACKENDS MATCHES "OpenSSL")
        message(FATAL_ERROR "libcurl is built with '${CURL_SSL_BACKENDS}', the harness needs "
                            "the OpenSSL flavour: apt-get install libcurl4-openssl-dev")
    endif()
endif()

find_package(Threads REQUIRED)
