# Installation and the CMake package. `cmake --install` puts the public
# headers, the libraries, the dealtrail CLI, the SQLite extension and the
# schema files under the prefix, with a package so another project writes
#   find_package(dealtrail 0.1 REQUIRED)
#   target_link_libraries(app PRIVATE dealtrail::storage)
# tests/package builds such a project against an installed tree.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(DEALTRAIL_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/dealtrail)

set_target_properties(dealtrail_core PROPERTIES EXPORT_NAME core)
set_target_properties(dealtrail_storage PROPERTIES EXPORT_NAME storage)
set_target_properties(dealtrail_cli PROPERTIES EXPORT_NAME cli)

# dealtrail::core and dealtrail::storage are the library (headers in
# include/dealtrail); the CLI library has no public headers and is not
# installed. dealtrail::dealtrail is the executable, and
# dealtrail::sqlite_extension the module for sqlite3's .load.
install(TARGETS dealtrail_core dealtrail_storage
  EXPORT dealtrailTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS dealtrail EXPORT dealtrailTargets RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET dealtrail_sqlite_ext)
  install(TARGETS dealtrail_sqlite_ext
    EXPORT dealtrailTargets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/dealtrail)
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/dealtrail
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/schema/
  DESTINATION ${CMAKE_INSTALL_DATADIR}/dealtrail/schema
  FILES_MATCHING PATTERN "*.sql")

install(EXPORT dealtrailTargets NAMESPACE dealtrail:: DESTINATION ${DEALTRAIL_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/dealtrailConfig.cmake.in
  ${PROJECT_BINARY_DIR}/dealtrailConfig.cmake
  INSTALL_DESTINATION ${DEALTRAIL_CMAKE_DIR})
# 0.x: a minor version may break the API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/dealtrailConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/dealtrailConfig.cmake
  ${PROJECT_BINARY_DIR}/dealtrailConfigVersion.cmake
  DESTINATION ${DEALTRAIL_CMAKE_DIR})
