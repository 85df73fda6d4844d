// The SQL functions dealtrail adds to an SQLite connection: the table-valued
// function positions_as_of(date [, known_at]) and the exact money helpers
// money() and money_sum(). `dealtrail sql` and the loadable extension
// (src/sqlite_ext) register the same code; docs/sql.md documents them.
#ifndef DEALTRAIL_SRC_STORAGE_SQL_FUNCTIONS_H_
#define DEALTRAIL_SRC_STORAGE_SQL_FUNCTIONS_H_

#include <string>
#include <vector>

#include "dealtrail/money.h"
#include "dealtrail/status.h"
#include "dealtrail/time.h"

struct sqlite3;

namespace dealtrail::storage {

// Registers on `db`:
//  - positions_as_of(date [, known_at]): replay's per-commitment positions,
//    one row per commitment, with the columns of the current_commitments
//    view (PositionsColumns()). It replays the file `db` has open as "main"
//    on its own read-only connection; `clock` gives the default known_at.
//  - money(minor, currency [, style]): exact text of integer minor units.
//  - money_sum(minor [, currency]): a sum of integer minor units that fails
//    on overflow (and on mixed currencies when given them), as an aggregate
//    and as a window function.
// Fails (kInternal) only if SQLite refuses a registration.
Status RegisterSqlFunctions(sqlite3* db, Clock clock);

// positions_as_of's visible columns, in order (the hidden as_of and known_at
// arguments follow them).
const std::vector<std::string>& PositionsColumns();

// An interval as exact text in major units, worded as replay words it for
// people: "30000000000.00 USD", "up to 100000000000.00 USD", "about …",
// "15000000000.00–20000000000.00 USD", "more than … USD", "any amount". The
// views of schema/0002_views.sql compute the same text in SQL.
std::string ExactIntervalText(const Interval& i);

}  // namespace dealtrail::storage

#endif  // DEALTRAIL_SRC_STORAGE_SQL_FUNCTIONS_H_
