# packaging.cmake — what `cmake --install` puts where, and how CPack turns it
# into pulse-kiosk_<version>_<arch>.deb and pulse-collector_<version>_<arch>.deb
# (scripts/package; docs/deployment.md §5). Included by the top CMakeLists.
#
# CPack DEB rather than debhelper: the packages are made from the very build
# that scripts/test has just tested, in seconds, with no second compile and no
# debian/ source tree to keep in step with CMake; dpkg-shlibdeps still works
# out the library dependencies. What debhelper would have generated (the
# systemd enable/start snippets, md5sums, a gzipped changelog) is written out
# here and in the maintainer scripts beside this file.
#
#   /usr/bin                     the programs
#   /usr/share/pulse             the kiosk's question bank, texts, config template, fonts/
#   /usr/share/pulse/collector   the collector's bank, summary texts, config template, nginx site
#   /lib/systemd/system          the units (not enabled to start until /etc/pulse has a config)
#   /usr/share/doc/<package>     copyright, changelog.gz, the deployment guide
#   /usr/share/man/man1          the programs' manual pages
#   /etc/pulse, /var/lib/pulse   made by postinst; written by provisioning and the services

set(_deb ${CMAKE_CURRENT_LIST_DIR})
set(_src ${PROJECT_SOURCE_DIR})
set(_gen ${CMAKE_BINARY_DIR}/packaging)
file(MAKE_DIRECTORY ${_gen})

# --- the kiosk ---------------------------------------------------------------
install(TARGETS pulse-kiosk RUNTIME DESTINATION bin COMPONENT kiosk)
install(FILES ${_src}/config/questions.toml ${_src}/config/texts.toml ${_src}/config/terminal.example.toml
        DESTINATION share/pulse COMPONENT kiosk)
# The font is Debian's fonts-open-sans (a dependency); /usr/share/pulse/fonts
# holds a link to it beside the bank, and is where IT puts another TTF.
file(CREATE_LINK ../../fonts/truetype/open-sans/OpenSans-Regular.ttf ${_gen}/OpenSans-Regular.ttf SYMBOLIC)
install(FILES ${_gen}/OpenSans-Regular.ttf DESTINATION share/pulse/fonts COMPONENT kiosk)
install(FILES ${_src}/config/systemd/pulse-kiosk.service ${_src}/config/systemd/pulse-kiosk-out-of-order.service
        DESTINATION /lib/systemd/system COMPONENT kiosk)
# The backlight's brightness writable by the video group (the kiosk's user).
install(FILES ${_src}/config/udev/90-pulse-backlight.rules DESTINATION /lib/udev/rules.d COMPONENT kiosk)

# --- the collector -----------------------------------------------------------
install(TARGETS pulse-collector RUNTIME DESTINATION bin COMPONENT collector)
install(FILES ${_src}/config/questions.toml ${_src}/config/summary_texts.toml ${_src}/config/collector.example.toml
        DESTINATION share/pulse/collector COMPONENT collector)
install(FILES ${_src}/config/nginx/pulse-collector.conf DESTINATION share/pulse/collector
        RENAME nginx-site.conf COMPONENT collector)
install(FILES ${_src}/config/systemd/pulse-collector.service DESTINATION /lib/systemd/system COMPONENT collector)

# --- documentation: copyright, changelog, the guides -------------------------
execute_process(COMMAND git log -1 --format=%h%n%aD%n%s WORKING_DIRECTORY ${_src}
                OUTPUT_VARIABLE _head OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
string(REPLACE "\n" ";" _head "${_head}")
list(LENGTH _head _head_n)
if(_head_n LESS 3)
  set(_head "unknown" "Tue, 01 Dec 2026 00:00:00 +0000" "built outside a git checkout")
endif()
list(GET _head 0 _commit)
list(GET _head 1 _date)
foreach(component kiosk collector)
  # A native package (the version has no Debian revision): changelog.gz.
  file(WRITE ${_gen}/${component}/changelog
"pulse-${component} (${PULSE_VERSION}) bookworm; urgency=medium

  * Built from git commit ${_commit}; the history is in the project's git log.

 -- Ishøj Kommune IT <it@ishoj.dk>  ${_date}
")
  # gzip -9n: no name or time stamp inside, so the same commit gives the same bytes.
  execute_process(COMMAND gzip -9nf ${_gen}/${component}/changelog)
  install(FILES ${_deb}/copyright ${_gen}/${component}/changelog.gz
          DESTINATION share/doc/pulse-${component} COMPONENT ${component})
endforeach()
install(FILES ${_src}/docs/deployment.md DESTINATION share/doc/pulse-kiosk COMPONENT kiosk)
install(FILES ${_src}/docs/deployment.md ${_src}/docs/protocol.md ${_src}/docs/anonymity.md ${_src}/docs/email.md
        DESTINATION share/doc/pulse-collector COMPONENT collector)
foreach(program pulse-kiosk pulse-collector)
  configure_file(${_deb}/${program}.1 ${_gen}/${program}.1 @ONLY)
  execute_process(COMMAND gzip -9nf ${_gen}/${program}.1)
endforeach()
install(FILES ${_gen}/pulse-kiosk.1.gz DESTINATION share/man/man1 COMPONENT kiosk)
install(FILES ${_gen}/pulse-collector.1.gz DESTINATION share/man/man1 COMPONENT collector)

# --- CPack -------------------------------------------------------------------
# scripts/package builds the two programs first; CPack need not build the tests.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL kiosk collector)
set(CPACK_PACKAGE_NAME pulse)
set(CPACK_PACKAGE_VERSION ${PULSE_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/packages)
set(CPACK_PACKAGE_CONTACT "Ishøj Kommune IT <it@ishoj.dk>")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "Ishøj Kommune IT <it@ishoj.dk>")
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME pulse-kiosk)
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS "cage, xwayland, fonts-open-sans, adduser")
set(CPACK_COMPONENT_KIOSK_DESCRIPTION "Pulse staff feedback terminal (touch-screen kiosk)
The terminal on the wall of a staff room: three quick, anonymous questions
about one's own manager, stored durably on the terminal and uploaded by the
hour to the central pulse-collector. Runs fullscreen under cage on tty1
(pulse-kiosk.service) once `pulse-kiosk provision` has configured it.")
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_EXTRA "${_deb}/kiosk/postinst;${_deb}/kiosk/prerm;${_deb}/kiosk/postrm")

set(CPACK_DEBIAN_COLLECTOR_PACKAGE_NAME pulse-collector)
set(CPACK_DEBIAN_COLLECTOR_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_COLLECTOR_PACKAGE_SUGGESTS "nginx, postgresql")
set(CPACK_COMPONENT_COLLECTOR_DESCRIPTION "Pulse collector: the terminals' answers and weekly summaries
Receives the Pulse terminals' answer batches, keeps them in SQLite or
PostgreSQL, publishes each workplace's weekly summary with anonymity
thresholds, mails it to the managers and serves their pages in a browser.
The nginx site in front of it is installed in sites-available, not enabled.")
set(CPACK_DEBIAN_COLLECTOR_PACKAGE_CONTROL_EXTRA
    "${_deb}/collector/postinst;${_deb}/collector/prerm;${_deb}/collector/postrm")

include(CPack)
