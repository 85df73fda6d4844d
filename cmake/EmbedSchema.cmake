# Writes a C++ source holding every schema/NNNN_name.sql as a migration, so
# the binary carries its schema. Run as: cmake -DOUT=… -DSQL_FILES=a;b -P this
set(body "")
foreach(file IN LISTS SQL_FILES)
  get_filename_component(name "${file}" NAME_WE)
  string(REGEX MATCH "^[0-9]+" number "${name}")
  math(EXPR version "${number}")
  file(READ "${file}" sql)
  string(APPEND body "    {${version}, \"${name}\", R\"dealtrail_sql(${sql})dealtrail_sql\"},\n")
endforeach()
file(WRITE "${OUT}.tmp"
"// Generated from schema/*.sql by cmake/EmbedSchema.cmake. Do not edit.
#include \"storage/schema.h\"

namespace dealtrail::storage {

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> migrations = {
${body}  };
  return migrations;
}

}  // namespace dealtrail::storage
")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
