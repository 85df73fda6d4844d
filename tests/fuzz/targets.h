// The fuzz targets' bodies, shared by the libFuzzer executables (clang,
// tools/fuzz) and the corpus replay test (any compiler, every CI run). Each
// feeds one input to a parser and checks what must hold of the result; it
// returns "" when everything holds, else what broke.
#ifndef DEALTRAIL_TESTS_FUZZ_TARGETS_H_
#define DEALTRAIL_TESTS_FUZZ_TARGETS_H_

#include <string>
#include <string_view>

namespace dealtrail::fuzz {

// ParseAmount: a refusal is kInvalidInput with a message; an amount is in
// range and reads back from its canonical and its human form.
std::string CheckAmount(std::string_view input);
// PartialDate::Parse, ParseDay, ParseTimestamp: refusals carry a message;
// what parses formats and reads back to itself.
std::string CheckDate(std::string_view input);
// The JSONL and CSV readers: every event read is well formed and its
// canonical line reads back to the same event; an error is located at
// "fuzz:LINE" within the input and has a message.
std::string CheckJsonl(std::string_view input);
std::string CheckCsv(std::string_view input);

}  // namespace dealtrail::fuzz

#endif  // DEALTRAIL_TESTS_FUZZ_TARGETS_H_
