# include_check.cmake — which folder may include which: the architecture of
# README's "Architecture" section, enforced. Run on every build (target
# include_check) and as a test; `cmake -DPULSE_ROOT=DIR -P include_check.cmake`
# checks the tree at DIR and fails, naming file, line and rule, on:
#   - a quoted include outside the folders the including folder may use
#     (project headers are always included by their path from the root:
#     "common/calendar.hpp", never "calendar.hpp");
#   - SDL or Dear ImGui included anywhere but kiosk/ (the model, the
#     collector and the shared code know nothing of the screen).
cmake_minimum_required(VERSION 3.25)

if(NOT PULSE_ROOT)
  message(FATAL_ERROR "include_check: pass -DPULSE_ROOT=<the source tree>")
endif()

# Folder (relative to the root) -> the folders its files may include from.
# The longest matching folder wins, so collector/summary is stricter than
# collector/.
set(rule_folders
  common
  terminal
  kiosk
  collector
  collector/storage
  collector/summary
  collector/http
  collector/email
  collector/web)
set(allowed_common            common)
set(allowed_terminal          common terminal)
set(allowed_kiosk             common terminal kiosk)
set(allowed_collector         common collector)
# The summary is pure: counts in, pages out; it reads no store, serves no
# request and sends no mail.
set(allowed_collector/summary common collector/summary)
# Storage keeps answers and hands the summary its counts; it answers no
# request and sends no mail.
set(allowed_collector/storage common collector/storage collector/summary collector/config.hpp)
set(allowed_collector/http    common collector)
set(allowed_collector/email   common collector)
# The managers' browser pages: sign-in, sessions, pages over the rest.
set(allowed_collector/web     common collector)

set(violations "")
foreach(folder IN LISTS rule_folders)
  file(GLOB sources LIST_DIRECTORIES false RELATIVE ${PULSE_ROOT}
       ${PULSE_ROOT}/${folder}/*.cpp ${PULSE_ROOT}/${folder}/*.hpp)
  foreach(source IN LISTS sources)
    file(STRINGS ${PULSE_ROOT}/${source} lines)
    set(line_number 0)
    foreach(line IN LISTS lines)
      math(EXPR line_number "${line_number} + 1")
      if(NOT line MATCHES "^[ \t]*#[ \t]*include[ \t]*([\"<])([^\">]+)[\">]")
        continue()
      endif()
      set(kind "${CMAKE_MATCH_1}")
      set(header "${CMAKE_MATCH_2}")
      if(NOT folder STREQUAL "kiosk" AND header MATCHES "^(SDL2?/|SDL[_.]|imgui)")
        list(APPEND violations "${source}:${line_number}: includes ${header}: SDL and Dear ImGui belong to kiosk/ only")
        continue()
      endif()
      if(NOT kind STREQUAL "\"")
        continue()
      endif()
      set(ok FALSE)
      foreach(prefix IN LISTS allowed_${folder})
        if(header STREQUAL prefix OR header MATCHES "^${prefix}/")
          set(ok TRUE)
        endif()
      endforeach()
      if(NOT ok)
        string(REPLACE ";" ", " may "${allowed_${folder}}")
        list(APPEND violations "${source}:${line_number}: includes \"${header}\": ${folder}/ may include only ${may}")
      endif()
    endforeach()
  endforeach()
endforeach()

if(violations)
  list(JOIN violations "\n" text)
  message(FATAL_ERROR "include_check: a folder includes what it must not (README, Architecture):\n${text}")
endif()
