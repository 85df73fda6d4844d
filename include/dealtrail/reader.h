// Readers for event files: JSONL (one JSON object per line, the shape
// `export` writes) and CSV (a header row naming the same fields). Both are
// documented in docs/events.md.
#ifndef DEALTRAIL_READER_H_
#define DEALTRAIL_READER_H_

#include <cstdint>
#include <istream>
#include <memory>
#include <string>

#include "dealtrail/event.h"
#include "dealtrail/status.h"

namespace dealtrail {

// Longest accepted input line (a CSV record may span lines; this bounds it too).
inline constexpr std::size_t kMaxLineBytes = 1 << 20;

// Reads events one at a time, so a file of any length streams.
class EventReader {
 public:
  virtual ~EventReader() = default;
  // Reads the next event into *event. Returns false at the end of the input.
  // A malformed record is a non-ok Result located at "name:line" and naming
  // the field; reading stops there.
  virtual Result<bool> Next(Event* event) = 0;
  // The line the last event started on (1-based).
  virtual std::int64_t line() const = 0;
  // The input's name as given ("events.jsonl", "-").
  virtual const std::string& name() const = 0;
  // Bytes consumed so far (for progress reports).
  virtual std::int64_t bytes_read() const = 0;
  // Whether every event Next returns has passed ValidateShape already (true
  // for the readers below), so an import need not check its shape again.
  virtual bool validates_shape() const { return false; }
};

// `in` must outlive the reader.
std::unique_ptr<EventReader> MakeJsonlReader(std::istream& in, std::string name);
std::unique_ptr<EventReader> MakeCsvReader(std::istream& in, std::string name);

}  // namespace dealtrail

#endif  // DEALTRAIL_READER_H_
