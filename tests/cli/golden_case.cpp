// Parsing golden case files: a header (comments, "ledger:", "file:" blocks)
// then commands ("$ dealtrail …") each followed by expected stdout, ">2" and
// expected stderr, and ">= N" for a non-zero exit code.
#include "golden_case.h"

#include <sstream>

namespace dealtrail::golden {
namespace {

Result<std::vector<std::string>> SplitWords(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '\'') {
      const std::size_t end = line.find('\'', i + 1);
      if (end == std::string::npos) return Status::Invalid("", "unbalanced ' in: " + line);
      word += line.substr(i + 1, end - i - 1);
      in_word = true;
      i = end;
    } else if (c == '"') {
      std::size_t j = i + 1;
      for (; j < line.size() && line[j] != '"'; ++j) {
        if (line[j] == '\\' && j + 1 < line.size()) ++j;
        word += line[j];
      }
      if (j >= line.size()) return Status::Invalid("", "unbalanced \" in: " + line);
      in_word = true;
      i = j;
    } else if (c == '\\' && i + 1 < line.size()) {
      word += line[++i];
      in_word = true;
    } else if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

}  // namespace

Result<Case> ParseCase(const std::string& text) {
  Case c;
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  enum { kHeader, kFile, kOut, kErr } mode = kHeader;
  std::string file_name;
  std::string file_content;
  while (std::getline(in, line)) {
    ++line_no;
    if (mode == kFile) {
      if (line == "end-file") {
        c.files.emplace_back(file_name, file_content);
        c.header += line + "\n";
        mode = kHeader;
      } else {
        file_content += line + "\n";
        c.header += line + "\n";
      }
      continue;
    }
    if (line.rfind("$ ", 0) == 0) {
      auto words = SplitWords(line.substr(2));
      if (!words.ok()) return words.status().At("line " + std::to_string(line_no));
      if (words->empty() || words->front() != "dealtrail") {
        return Status::Invalid(
            "", "line " + std::to_string(line_no) + ": a command must start with 'dealtrail'");
      }
      Step step;
      step.text = line.substr(2);
      step.words.assign(words->begin() + 1, words->end());
      step.line = line_no;
      c.steps.push_back(std::move(step));
      mode = kOut;
      continue;
    }
    if (mode == kHeader) {
      c.header += line + "\n";
      if (line.rfind("ledger: ", 0) == 0) {
        c.ledger = line.substr(8);
        if (c.ledger != "fixture" && c.ledger != "empty" && c.ledger != "none") {
          return Status::Invalid(
              "", "line " + std::to_string(line_no) + ": ledger must be fixture, empty or none");
        }
      } else if (line.rfind("file: ", 0) == 0) {
        file_name = line.substr(6);
        file_content.clear();
        mode = kFile;
      } else if (!line.empty() && line[0] != '#') {
        return Status::Invalid("", "line " + std::to_string(line_no) +
                                       ": expected a comment, 'ledger:', 'file:' or a command");
      }
      continue;
    }
    Step& step = c.steps.back();
    if (line.rfind("<<< ", 0) == 0 && mode == kOut && step.expected.out.empty()) {
      step.input += line.substr(4) + "\n";
    } else if (line == ">2") {
      mode = kErr;
    } else if (line.rfind(">= ", 0) == 0) {
      step.expected.code = std::stoi(line.substr(3));
    } else if (mode == kOut) {
      step.expected.out += line + "\n";
    } else {
      step.expected.err += line + "\n";
    }
  }
  if (mode == kFile) return Status::Invalid("", "a file: block has no end-file");
  if (c.steps.empty()) return Status::Invalid("", "no commands");
  return c;
}

std::string Render(const Case& c, const std::vector<Outcome>& actual) {
  std::string text = c.header;
  for (std::size_t i = 0; i < c.steps.size(); ++i) {
    const Step& step = c.steps[i];
    text += "$ " + step.text + "\n";
    std::istringstream input(step.input);
    for (std::string line; std::getline(input, line);) text += "<<< " + line + "\n";
    text += actual[i].out;
    if (!actual[i].err.empty()) text += ">2\n" + actual[i].err;
    if (actual[i].code != 0) text += ">= " + std::to_string(actual[i].code) + "\n";
  }
  return text;
}

}  // namespace dealtrail::golden
