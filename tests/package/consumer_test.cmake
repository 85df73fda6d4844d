# Installs the build tree into a temporary prefix, then configures, builds and
# runs tests/package/consumer against that prefix only, as a user's project
# would (fmt's find-package test does the same). Also checks that
# docs/library.md shows the consumer's code as it is. Run as a ctest:
#   cmake -DBUILD_DIR=… -DWORK_DIR=… -DCONSUMER_DIR=… -DLIBRARY_DOC=…
#         -DGENERATOR=… -DCXX_COMPILER=… -DBUILD_TYPE=… -DSANITIZE=… -P this
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " command "${ARGN}")
    message(FATAL_ERROR "failed (${rc}): ${command}\n${out}\n${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(file include/dealtrail/ledger.h include/dealtrail/sql.h bin/dealtrail
             lib/cmake/dealtrail/dealtrailConfig.cmake
             lib/cmake/dealtrail/dealtrailConfigVersion.cmake
             lib/cmake/dealtrail/dealtrailTargets.cmake
             lib/dealtrail/dealtrail.so share/dealtrail/schema/0001_ledger.sql)
  if(NOT EXISTS ${prefix}/${file})
    message(FATAL_ERROR "cmake --install did not install ${file}")
  endif()
endforeach()
file(GLOB_RECURSE private_headers ${prefix}/include/*.h)
foreach(header IN LISTS private_headers)
  if(NOT header MATCHES "/include/dealtrail/[a-z_]+\\.h$")
    message(FATAL_ERROR "installed a header outside include/dealtrail: ${header}")
  endif()
endforeach()

set(flags "")
if(SANITIZE)
  # The installed static libraries are instrumented; the consumer must be too.
  set(flags "-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined"
            "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined")
endif()
run(${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/build -G ${GENERATOR}
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_BUILD_TYPE=${BUILD_TYPE}
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON ${flags})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)

run(${WORK_DIR}/build/record_and_replay ${WORK_DIR}/deals.db)
set(printed "${run_output}")
set(expected "loi: up to $100B, funded $10B, outstanding up to $90B\n")
if(NOT printed STREQUAL expected)
  message(FATAL_ERROR "the consumer printed:\n${printed}\nexpected:\n${expected}")
endif()
# The installed CLI reads what the library wrote.
run(${prefix}/bin/dealtrail --ledger ${WORK_DIR}/deals.db verify)

# docs/library.md shows this program as it is.
file(READ ${CONSUMER_DIR}/main.cpp code)
file(READ ${LIBRARY_DOC} doc)
string(FIND "${doc}" "${code}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "docs/library.md does not show tests/package/consumer/main.cpp as it is")
endif()
message(STATUS "installed, found with find_package, built and ran: ${printed}")
