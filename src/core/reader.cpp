// JSONL and CSV event readers. Both turn one record into a RawEvent and hand
// it to EventFromRaw, so the two formats accept exactly the same events and
// report the same errors, located at "file:line".
#include "dealtrail/reader.h"

#include <simdjson.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/text.h"

namespace dealtrail {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Reads one physical line (without its "\n" or "\r\n"), refusing lines
// longer than kMaxLineBytes. Returns false at the end of input.
Result<bool> ReadLine(std::istream& in, std::string* line, std::int64_t* bytes) {
  line->clear();
  if (!std::getline(in, *line)) return false;
  // A last line without "\n" ends at end of input, with no newline to count.
  *bytes += static_cast<std::int64_t>(line->size()) + (in.eof() ? 0 : 1);
  // The "\r" of a CRLF ending is not part of the line's length.
  if (!line->empty() && line->back() == '\r') line->pop_back();
  if (line->size() > kMaxLineBytes) {
    return Status::Invalid("", "line is " + std::to_string(line->size()) + " bytes; at most " +
                                   std::to_string(kMaxLineBytes) + " allowed");
  }
  return true;
}

class JsonlReader : public EventReader {
 public:
  JsonlReader(std::istream& in, std::string name) : in_(in), name_(std::move(name)) {}

  Result<bool> Next(Event* event) override {
    std::string line;
    while (true) {
      auto got = ReadLine(in_, &line, &bytes_);
      ++line_no_;
      if (!got.ok()) return got.status().At(Where());
      if (!*got) {
        if (events_ == 0) return Status::Invalid("", "no events: the file is empty").At(Where(1));
        return false;
      }
      if (line_no_ == 1 && line.compare(0, kBom.size(), kBom) == 0) line.erase(0, kBom.size());
      if (!Trim(line).empty()) break;
    }
    auto raw = ParseFast(line);
    if (!raw.ok()) return raw.status().At(Where());
    auto parsed = EventFromRaw(*raw);
    if (!parsed.ok()) return parsed.status().At(Where());
    *event = std::move(parsed).value();
    ++events_;
    return true;
  }

  std::int64_t line() const override { return line_no_; }
  const std::string& name() const override { return name_; }
  std::int64_t bytes_read() const override { return bytes_; }
  bool validates_shape() const override { return true; }  // EventFromRaw did

 private:
  std::string Where(std::int64_t line) const { return name_ + ":" + std::to_string(line); }
  std::string Where() const { return Where(line_no_); }

  // simdjson first: a well-formed line (nearly all of them) parses several
  // times faster. On anything it refuses, the general parser below reads the
  // line again, to report exactly what is wrong.
  Result<RawEvent> ParseFast(const std::string& line) {
    namespace sj = simdjson;
    padded_.assign(line);
    padded_.append(sj::SIMDJSON_PADDING, '\0');
    RawEvent raw;
    bool fallback = false;
    std::vector<std::string_view> keys;
    auto read = [&]() -> sj::error_code {
      sj::ondemand::document doc;
      SIMDJSON_TRY(parser_.iterate(padded_.data(), line.size(), padded_.size()).get(doc));
      sj::ondemand::object object;
      SIMDJSON_TRY(doc.get_object().get(object));
      for (auto field : object) {
        std::string_view key;
        SIMDJSON_TRY(field.unescaped_key().get(key));
        if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
          fallback = true;  // a duplicate key: the general path names it
          return sj::SUCCESS;
        }
        keys.push_back(key);
        sj::ondemand::value value;
        SIMDJSON_TRY(field.value().get(value));
        sj::ondemand::json_type type;
        SIMDJSON_TRY(value.type().get(type));
        if (type == sj::ondemand::json_type::null) continue;
        if (type == sj::ondemand::json_type::string && key != "aliases" && key != "seq") {
          std::string_view text;
          SIMDJSON_TRY(value.get_string().get(text));
          raw.fields.emplace_back(key, text);
          continue;
        }
        if (key == "aliases" && type == sj::ondemand::json_type::array) {
          std::vector<std::string> list;
          sj::ondemand::array array;
          SIMDJSON_TRY(value.get_array().get(array));
          for (auto item : array) {
            std::string_view name;
            if (item.get_string().get(name) != sj::SUCCESS) {
              fallback = true;
              return sj::SUCCESS;
            }
            list.emplace_back(name);
          }
          raw.aliases = std::move(list);
          continue;
        }
        if (key == "seq" && type == sj::ondemand::json_type::number) {
          std::int64_t seq = 0;
          if (value.get_int64().get(seq) == sj::SUCCESS) {
            raw.fields.emplace_back(key, std::to_string(seq));
            continue;
          }
        }
        fallback = true;  // a value of the wrong type: the general path says which
        return sj::SUCCESS;
      }
      // Anything after the object (another value, stray text) is refused by
      // the general path, which says what it found.
      const char* after = nullptr;
      if (doc.current_location().get(after) == sj::SUCCESS) fallback = true;
      return sj::SUCCESS;
    };
    if (read() != simdjson::SUCCESS || fallback) return ParseObject(line);
    return raw;
  }

  static Result<RawEvent> ParseObject(const std::string& line) {
    if (!IsValidUtf8(line)) {
      return Status::Invalid("", "expected UTF-8 text; the line has invalid bytes or a NUL");
    }
    // Duplicate keys are an error (JSON parsers silently keep the last one).
    std::set<std::string> keys;
    std::string duplicate;
    // ordered_json keeps the line's field order, so the first problem on a
    // line is the first one reported.
    using Json = nlohmann::ordered_json;
    auto on_event = [&](int depth, Json::parse_event_t ev, Json& parsed) {
      if (ev == Json::parse_event_t::key && depth == 1 &&
          !keys.insert(parsed.get<std::string>()).second && duplicate.empty()) {
        duplicate = parsed.get<std::string>();
      }
      return true;
    };
    Json j;
    try {
      j = Json::parse(line, on_event);
    } catch (const nlohmann::json::exception& e) {
      // "[json.exception.parse_error.101] parse error at line 1, column 87: …":
      // the line is ours to name, the column is worth keeping.
      std::string what = e.what();
      const std::size_t cut = what.find("] ");
      if (cut != std::string::npos) what = what.substr(cut + 2);
      const std::size_t at_line = what.find("at line 1, ");
      if (at_line != std::string::npos) what.erase(at_line + 3, 8);
      return Status::Invalid("", "expected one JSON object per line: " + what);
    }
    if (!duplicate.empty()) return Status::Invalid(duplicate, "appears twice");
    if (!j.is_object()) return Status::Invalid("", "expected one JSON object per line");
    RawEvent raw;
    for (const auto& [key, value] : j.items()) {
      if (value.is_null()) continue;
      if (key == "aliases") {
        if (!value.is_array()) return Status::Invalid(key, "expected a list of names");
        std::vector<std::string> list;
        for (const auto& a : value) {
          if (!a.is_string()) return Status::Invalid(key, "expected a list of names (strings)");
          list.push_back(a.get<std::string>());
        }
        raw.aliases = std::move(list);
        continue;
      }
      if (key == "seq") {
        if (!value.is_number_integer()) return Status::Invalid(key, "expected an integer");
        raw.fields.emplace_back(key, std::to_string(value.get<std::int64_t>()));
        continue;
      }
      if (!value.is_string()) {
        std::string hint = key == "amount" || key == "target" || key == "conditional" ||
                                   key == "pre_money" || key == "post_money"
                               ? " such as \"$30B\" (amounts are never JSON numbers)"
                               : "";
        return Status::Invalid(key, "expected a string" + hint + ", got " + value.type_name());
      }
      raw.fields.emplace_back(key, value.get<std::string>());
    }
    return raw;
  }

  std::istream& in_;
  std::string name_;
  std::int64_t line_no_ = 0;
  std::int64_t bytes_ = 0;
  std::int64_t events_ = 0;
  simdjson::ondemand::parser parser_;
  std::string padded_;  // the line and simdjson's padding
};

class CsvReader : public EventReader {
 public:
  CsvReader(std::istream& in, std::string name) : in_(in), name_(std::move(name)) {}

  Result<bool> Next(Event* event) override {
    if (header_.empty()) {
      auto header = ReadRecord();
      if (!header.ok()) return header.status();
      if (!*header || cells_.empty()) {
        return Status::Invalid("", "no header: the file is empty").At(Where(1));
      }
      header_line_ = record_line_;
      header_ = cells_;
      std::set<std::string> seen;
      for (std::string& h : header_) {
        h = Trim(h);
        if (h.empty()) {
          return Status::Invalid("", "the header has an empty column name").At(Where());
        }
        if (!seen.insert(h).second) return Status::Invalid(h, "column appears twice").At(Where());
        if (h == "aliases") continue;
        const auto& names = EventFieldNames();
        if (std::find(names.begin(), names.end(), h) == names.end()) {
          // EventFromRaw names the nearest field; ask it with a dummy record.
          RawEvent probe;
          probe.fields = {{"kind", "open"}, {h, "x"}};
          return EventFromRaw(probe).status().At(Where());
        }
      }
      for (const char* required : {"kind", "date"}) {
        if (seen.count(required) == 0) {
          return Status::Invalid(required, std::string("missing column: the header must name a ") +
                                               required + " column")
              .At(Where());
        }
      }
    }
    auto got = ReadRecord();
    if (!got.ok()) return got.status();
    if (!*got) {
      if (events_ == 0) {
        return Status::Invalid("", "no events after the header").At(Where(header_line_ + 1));
      }
      return false;
    }
    if (cells_.size() != header_.size()) {
      return Status::Invalid("", "expected " + std::to_string(header_.size()) +
                                     " fields as in the header, got " +
                                     std::to_string(cells_.size()))
          .At(Where());
    }
    RawEvent raw;
    for (std::size_t i = 0; i < cells_.size(); ++i) raw.fields.emplace_back(header_[i], cells_[i]);
    auto parsed = EventFromRaw(raw);
    if (!parsed.ok()) return parsed.status().At(Where());
    *event = std::move(parsed).value();
    ++events_;
    return true;
  }

  std::int64_t line() const override { return record_line_; }
  const std::string& name() const override { return name_; }
  std::int64_t bytes_read() const override { return bytes_; }
  bool validates_shape() const override { return true; }  // EventFromRaw did

 private:
  std::string Where(std::int64_t line) const { return name_ + ":" + std::to_string(line); }
  std::string Where() const { return Where(record_line_); }

  // Reads one RFC 4180 record into cells_, skipping blank lines. A quoted
  // cell may span lines; the record is located at the line it starts on.
  Result<bool> ReadRecord() {
    std::string line;
    do {
      auto got = ReadLine(in_, &line, &bytes_);
      ++line_no_;
      if (!got.ok()) return got.status().At(Where(line_no_));
      if (!*got) return false;
      if (line_no_ == 1 && line.compare(0, kBom.size(), kBom) == 0) line.erase(0, kBom.size());
    } while (Trim(line).empty());
    record_line_ = line_no_;
    cells_.clear();
    std::string cell;
    bool quoted = false;
    std::size_t record_bytes = 0;
    while (true) {
      if (!IsValidUtf8(line)) {
        return Status::Invalid("", "expected UTF-8 text; the line has invalid bytes or a NUL")
            .At(Where(line_no_));
      }
      record_bytes += line.size();
      for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
          if (c == '"') {
            if (i + 1 < line.size() && line[i + 1] == '"') {
              cell.push_back('"');
              ++i;
            } else {
              quoted = false;
              if (i + 1 < line.size() && line[i + 1] != ',') {
                return Status::Invalid("", "expected ',' after a closing quote")
                    .At(Where(line_no_));
              }
            }
          } else {
            cell.push_back(c);
          }
        } else if (c == '"') {
          if (!cell.empty()) {
            return Status::Invalid("", "a quote may only start a cell").At(Where(line_no_));
          }
          quoted = true;
        } else if (c == ',') {
          cells_.push_back(std::move(cell));
          cell.clear();
        } else {
          cell.push_back(c);
        }
      }
      if (!quoted) break;
      // The quoted cell continues on the next line.
      cell.push_back('\n');
      auto got = ReadLine(in_, &line, &bytes_);
      ++line_no_;
      if (!got.ok()) return got.status().At(Where(line_no_));
      if (!*got) {
        return Status::Invalid("", "unbalanced quote: the quoted cell never ends").At(Where());
      }
      if (record_bytes > kMaxLineBytes) {
        return Status::Invalid("", "record is longer than the " + std::to_string(kMaxLineBytes) +
                                       " bytes allowed (is a quote left open?)")
            .At(Where());
      }
    }
    cells_.push_back(std::move(cell));
    return true;
  }

  std::istream& in_;
  std::string name_;
  std::vector<std::string> header_;
  std::int64_t header_line_ = 0;
  std::vector<std::string> cells_;
  std::int64_t line_no_ = 0;
  std::int64_t record_line_ = 0;
  std::int64_t bytes_ = 0;
  std::int64_t events_ = 0;
};

}  // namespace

std::unique_ptr<EventReader> MakeJsonlReader(std::istream& in, std::string name) {
  return std::make_unique<JsonlReader>(in, std::move(name));
}

std::unique_ptr<EventReader> MakeCsvReader(std::istream& in, std::string name) {
  return std::make_unique<CsvReader>(in, std::move(name));
}

}  // namespace dealtrail
