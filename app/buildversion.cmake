# Writes OUTPUT, a header defining HERALD_BUILD_VERSION: VERSION and, in a build from a git
# checkout of SOURCE_DIR, what `git describe` says of it, so a development build names its commit.
# Runs at every build; OUTPUT changes only when the description does, so nothing rebuilds for it.
#   cmake -DSOURCE_DIR=... -DVERSION=... -DOUTPUT=... -P buildversion.cmake
cmake_minimum_required(VERSION 3.22)

set(description "${VERSION}")
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS "${SOURCE_DIR}/.git")
    execute_process(COMMAND "${GIT_EXECUTABLE}" describe --tags --always --long --dirty
                    WORKING_DIRECTORY "${SOURCE_DIR}"
                    RESULT_VARIABLE failed
                    OUTPUT_VARIABLE commit
                    OUTPUT_STRIP_TRAILING_WHITESPACE
                    ERROR_QUIET)
    if(NOT failed)
        string(APPEND description " (git ${commit})")
    endif()
endif()
file(CONFIGURE OUTPUT "${OUTPUT}" CONTENT "#pragma once\n#define HERALD_BUILD_VERSION \"@description@\"\n" @ONLY)
