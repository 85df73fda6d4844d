// Events as rows of the `events` table and back. The mapping is lossless:
// the event read from a row hashes to what was hashed when it was written.
#ifndef DEALTRAIL_SRC_STORAGE_EVENT_ROWS_H_
#define DEALTRAIL_SRC_STORAGE_EVENT_ROWS_H_

#include <sqlite3.h>

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Statement.h>

#include "dealtrail/event.h"

namespace dealtrail::storage {

// The column list every event SELECT uses, in the order EventFromRow reads.
extern const char* const kEventColumns;
// INSERT INTO events with named parameters for every column.
extern const char* const kInsertEvent;

// Text the insert binds that is not stored in the event itself (dates and
// lists formatted for SQL). It must outlive the statement's execution.
struct BoundText {
  std::string effective_date, effective_end, recorded_at, published, aliases;
};

// Binds every column of `e` to a prepared kInsertEvent, without copying:
// `e` and `text` must outlive the statement's execution.
void BindEvent(sqlite3_stmt* insert, const Event& e, BoundText& text);
// Reads an event from a row of "SELECT <kEventColumns> …". kCorrupt if a
// stored value cannot be an event (edited out of band).
Result<Event> EventFromRow(const SQLite::Statement& row);

}  // namespace dealtrail::storage

#endif  // DEALTRAIL_SRC_STORAGE_EVENT_ROWS_H_
