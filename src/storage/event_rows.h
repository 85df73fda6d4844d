// Events as rows of the `events` table and back. The mapping is lossless:
// the event read from a row hashes to what was hashed when it was written.
#ifndef DEALTRAIL_SRC_STORAGE_EVENT_ROWS_H_
#define DEALTRAIL_SRC_STORAGE_EVENT_ROWS_H_

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Statement.h>

#include "dealtrail/event.h"

namespace dealtrail::storage {

// The column list every event SELECT uses, in the order EventFromRow reads.
extern const char* const kEventColumns;
// INSERT INTO events with named parameters for every column.
extern const char* const kInsertEvent;

// Binds every column of `e` to a prepared kInsertEvent.
void BindEvent(SQLite::Statement& insert, const Event& e);
// Reads an event from a row of "SELECT <kEventColumns> …". kCorrupt if a
// stored value cannot be an event (edited out of band).
Result<Event> EventFromRow(const SQLite::Statement& row);

}  // namespace dealtrail::storage

#endif  // DEALTRAIL_SRC_STORAGE_EVENT_ROWS_H_
