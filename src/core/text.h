// Small text helpers shared by the core: whitespace, UTF-8 code points,
// terminal display width, JSON string escaping and edit distance.
#ifndef DEALTRAIL_SRC_CORE_TEXT_H_
#define DEALTRAIL_SRC_CORE_TEXT_H_

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace dealtrail {

// True if `s` is valid UTF-8 without NUL bytes.
bool IsValidUtf8(std::string_view s);

inline bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
std::string Trim(std::string_view s);

// The parts joined, in one allocation.
std::string Concat(std::initializer_list<std::string_view> parts);

// Decodes valid UTF-8 into code points (the input must be valid).
std::vector<char32_t> CodePoints(std::string_view s);

// Columns a terminal uses for `s`: combining marks and bidi controls take
// none, East Asian wide characters two, everything else one.
std::size_t DisplayWidth(std::string_view s);
// True if `s` holds right-to-left letters (Arabic, Hebrew, …).
bool HasRightToLeft(std::string_view s);

// Appends `s` as a JSON string literal (quotes included).
void AppendJsonString(std::string& out, std::string_view s);

// Levenshtein distance over code points.
std::size_t EditDistance(std::string_view a, std::string_view b);

// Lower-cases ASCII letters and folds runs of white space to one space; the
// key aliases are matched on.
std::string NameKey(std::string_view name);

}  // namespace dealtrail

#endif  // DEALTRAIL_SRC_CORE_TEXT_H_
