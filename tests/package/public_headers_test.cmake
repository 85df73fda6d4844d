# Public headers are documented contracts that include only standard
# headers, <date/date.h> and each other: never sqlite3.h, SQLiteCpp or a
# private header from src/. Run as: cmake -DINCLUDE_DIR=… -P this
file(GLOB headers ${INCLUDE_DIR}/dealtrail/*.h)
list(LENGTH headers count)
if(count EQUAL 0)
  message(FATAL_ERROR "no public headers under ${INCLUDE_DIR}/dealtrail")
endif()
set(bad "")
foreach(header IN LISTS headers)
  file(STRINGS ${header} lines REGEX "^[ \t]*#[ \t]*include")
  foreach(line IN LISTS lines)
    if(line MATCHES "^[ \t]*#[ \t]*include[ \t]*\"dealtrail/[a-z_]+\\.h\""
       OR line MATCHES "^[ \t]*#[ \t]*include[ \t]*<date/date\\.h>"
       OR line MATCHES "^[ \t]*#[ \t]*include[ \t]*<[a-z_]+>")
      continue()
    endif()
    string(APPEND bad "\n  ${header}: ${line}")
  endforeach()
  file(READ ${header} text)
  if(NOT text MATCHES "^//")
    string(APPEND bad "\n  ${header}: does not open with a comment saying what it is for")
  endif()
endforeach()
if(bad)
  message(FATAL_ERROR "public headers may include only standard headers, <date/date.h> and "
                      "\"dealtrail/…\" headers:${bad}")
endif()
message(STATUS "${count} public headers include only standard, date and dealtrail headers")
