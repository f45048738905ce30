# Read by cpack. A Debian package installs under /usr, and its units and environment file carry
# the paths the build was configured with, so only a build configured for /usr makes one.
if(NOT CPACK_PACKAGING_INSTALL_PREFIX STREQUAL "/usr")
    message(FATAL_ERROR "Herald's package is made from a build configured with "
                        "-DCMAKE_INSTALL_PREFIX=/usr, not ${CPACK_PACKAGING_INSTALL_PREFIX}: "
                        "run tools/build-package")
endif()
