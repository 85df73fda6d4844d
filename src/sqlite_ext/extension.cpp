// The entry point of the loadable SQLite extension (dealtrail.so):
// registers positions_as_of() and the money helpers on the loading
// connection. In the sqlite3 shell: `.load ./dealtrail`.
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include <exception>
#include <string>

#include "storage/sql_functions.h"

extern "C" __attribute__((visibility("default"))) int sqlite3_dealtrail_init(
    sqlite3* db, char** error, const sqlite3_api_routines* api) {
  SQLITE_EXTENSION_INIT2(api);
  std::string message;
  try {
    const dealtrail::Status s =
        dealtrail::storage::RegisterSqlFunctions(db, dealtrail::SystemClock());
    if (s.ok()) return SQLITE_OK;
    message = s.message();
  } catch (const std::exception& e) {
    message = e.what();
  }
  if (error != nullptr) *error = sqlite3_mprintf("dealtrail: %s", message.c_str());
  return SQLITE_ERROR;
}
