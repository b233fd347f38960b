# version.cmake — the version of both programs and both packages, from
# `git describe`: tag v0.1.0 with 12 commits on top at 2ce38f5 becomes
# 0.1.0+12.g2ce38f5 (a Debian version that sorts upwards with every commit;
# a tree with uncommitted changes adds ".dirty"). Outside a git checkout, or
# without a v* tag (a shallow clone), it is the project() version with
# "+0.unknown", and configure says so. Read at configure time: scripts/package
# configures again, so a package never carries a stale version.
# Sets PULSE_VERSION.
execute_process(
  COMMAND git describe --tags --match "v[0-9]*" --long --dirty=-dirty
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  OUTPUT_VARIABLE _pulse_describe OUTPUT_STRIP_TRAILING_WHITESPACE
  RESULT_VARIABLE _pulse_describe_rc ERROR_QUIET)
if(_pulse_describe_rc EQUAL 0 AND _pulse_describe MATCHES "^v([0-9][0-9.]*)-([0-9]+)-g([0-9a-f]+)(-dirty)?$")
  set(PULSE_VERSION "${CMAKE_MATCH_1}+${CMAKE_MATCH_2}.g${CMAKE_MATCH_3}")
  if(CMAKE_MATCH_4)
    string(APPEND PULSE_VERSION ".dirty")
  endif()
else()
  set(PULSE_VERSION "${PROJECT_VERSION}+0.unknown")
  message(STATUS "No v* tag reachable through git describe: version ${PULSE_VERSION}")
endif()
