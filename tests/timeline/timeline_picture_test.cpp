// The picture and the page, from the reference fixture: the SVG parses with
// a real XML parser (xmllint) and has one lane per commitment in range;
// docs/nvidia-openai.svg is what the command draws; right-to-left names are
// isolated; the HTML page references nothing outside itself and, rendered
// by headless Chromium, gives a screenshot with the chart's colours in it.
//
// With DEALTRAIL_GOLDEN_UPDATE set, the docs picture is rewritten.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#ifdef DEALTRAIL_HAVE_PNG
#include <png.h>
#endif

#include "timeline/timeline_support.h"

namespace dealtrail {
namespace {

using test::TempDir;

bool HaveProgram(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

// Runs a shell command; its exit status and standard output.
std::pair<int, std::string> Shell(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return {-1, ""};
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

class PictureTest : public testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("fixture.db");
    auto ledger = test::FixtureLedger(path_);
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  }

  std::string Draw(const std::vector<std::string>& args) {
    const test::CliResult r = test::RunCli(path_, args);
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    return r.out;
  }

  // The number of lanes xmllint finds in an SVG document; fails the test
  // if it does not parse.
  int XmllintLanes(const std::string& svg, const std::string& name) {
    const std::string file = dir_.File(name);
    test::WriteFile(file, svg);
    const auto [code, out] = Shell("xmllint --noout '" + file + "' 2>&1");
    EXPECT_EQ(code, 0) << "xmllint: " << out;
    const auto [count_code, count] = Shell(
        "xmllint --xpath \"count(//*[local-name()='g'][@class='lane'])\" '" + file + "' 2>&1");
    EXPECT_EQ(count_code, 0) << count;
    return std::atoi(count.c_str());
  }

  TempDir dir_;
  std::string path_;
};

TEST_F(PictureTest, SvgIsWellFormedWithOneLanePerCommitmentInRange) {
  if (!HaveProgram("xmllint")) {
    GTEST_SKIP() << "xmllint is not installed (Debian libxml2-utils; tools/check installs it)";
  }
  // The whole fixture, 2024-10 to 2026-03: its seven commitments.
  EXPECT_EQ(
      XmllintLanes(Draw({"timeline", "--from", "2024-10", "--to", "2026-03", "--format", "svg"}),
                   "all.svg"),
      7);
  // From 2026-02-01: the 2024 stake had been completed; six are left.
  EXPECT_EQ(XmllintLanes(
                Draw({"timeline", "--from", "2026-02-01", "--to", "2026-03-01", "--format", "svg"}),
                "feb.svg"),
            6);
  // The pair Nvidia–OpenAI: the stake, the pledge and the equity.
  EXPECT_EQ(
      XmllintLanes(Draw({"timeline", "--pair", "nvidia", "openai", "--format", "svg"}), "pair.svg"),
      3);
  // As known on 2026-01-01: the 2026 reports had not been recorded.
  EXPECT_EQ(
      XmllintLanes(Draw({"timeline", "--known-at", "2026-01-01", "--format", "svg"}), "known.svg"),
      3);
  // Nothing in range still gives a document.
  EXPECT_EQ(
      XmllintLanes(Draw({"timeline", "--from", "2023-01", "--to", "2023-12", "--format", "svg"}),
                   "empty.svg"),
      0);
}

TEST_F(PictureTest, LanesMatchTheCommitmentsReplayShowsInRange) {
  // The commitments alive at some point of February 2026: open as of
  // 2026-02-01 by replay, or opened by 2026-02-28.
  const std::string svg =
      Draw({"timeline", "--from", "2026-02-01", "--to", "2026-02-28", "--format", "svg"});
  std::set<std::string> lanes;
  const std::string lane = "<g class=\"lane\" data-commitment=\"";
  for (std::size_t at = svg.find(lane); at != std::string::npos; at = svg.find(lane, at + 1)) {
    const std::size_t start = at + lane.size();
    lanes.insert(svg.substr(start, svg.find('"', start) - start));
  }
  // id -> status, from replay's CSV (id first, status seventh).
  auto replay = [&](const char* day) {
    const test::CliResult r = test::RunCli(path_, {"replay", "--as-of", day, "--format", "csv"});
    EXPECT_EQ(r.code, 0) << r.err;
    std::map<std::string, std::string> status;
    std::istringstream in(r.out);
    std::string line;
    std::getline(in, line);  // the header
    while (std::getline(in, line)) {
      std::vector<std::string> cells;
      std::istringstream row(line);
      for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
      status[cells.at(0)] = cells.at(6);
    }
    return status;
  };
  const auto start = replay("2026-02-01");
  const auto end = replay("2026-02-28");
  std::set<std::string> expected;
  for (const auto& [id, status] : start) {
    if (status == "open") expected.insert(id);
  }
  for (const auto& [id, status] : end) {
    if (start.count(id) == 0) expected.insert(id);
  }
  EXPECT_EQ(expected.size(), 6u);
  EXPECT_EQ(lanes, expected);
}

TEST_F(PictureTest, DocsPictureIsWhatTheCommandDraws) {
  const std::string svg =
      Draw({"timeline", "--from", "2024-10", "--to", "2026-03", "--format", "svg"});
  const std::string docs = std::string(DEALTRAIL_SOURCE_DIR) + "/docs/nvidia-openai.svg";
  if (std::getenv("DEALTRAIL_GOLDEN_UPDATE") != nullptr) test::WriteFile(docs, svg);
  EXPECT_TRUE(test::ReadBytes(docs) == svg)
      << "docs/nvidia-openai.svg is out of date: run this test with DEALTRAIL_GOLDEN_UPDATE=1";
}

TEST_F(PictureTest, RightToLeftNamesAreIsolated) {
  ASSERT_EQ(test::RunCli(path_, {"party", "add", "aramco", "--name", "أرامكو السعودية"}).code, 0);
  ASSERT_EQ(test::RunCli(path_, {"record", "open", "--commitment", "aramco-openai", "--kind",
                                 "purchase", "--from", "aramco", "--to", "openai", "--amount",
                                 "about $1B", "--date", "2026-01"})
                .code,
            0);
  const std::string svg = Draw({"timeline", "--party", "aramco", "--format", "svg"});
  // In its own bidi paragraph and between FIRST STRONG ISOLATE and POP
  // DIRECTIONAL ISOLATE, never bare.
  EXPECT_NE(svg.find("<tspan unicode-bidi=\"plaintext\">\xE2\x81\xA8"
                     "أرامكو السعودية\xE2\x81\xA9</tspan> \xE2\x86\x92 OpenAI"),
            std::string::npos)
      << svg;
  const std::string name = "أرامكو";
  const std::string isolate = "\xE2\x81\xA8";  // FIRST STRONG ISOLATE
  for (std::size_t at = svg.find(name); at != std::string::npos; at = svg.find(name, at + 1)) {
    EXPECT_TRUE(at >= isolate.size() &&
                svg.compare(at - isolate.size(), isolate.size(), isolate) == 0)
        << "an Arabic name outside an isolate at byte " << at;
  }
}

TEST_F(PictureTest, HtmlPageIsSelfContained) {
  const std::string html =
      Draw({"timeline", "--pair", "nvidia", "openai", "--to", "2026-03", "--format", "html"});
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("<h2>Events</h2>"), std::string::npos);
  EXPECT_NE(html.find("<h2>Positions as of 2026-03-31</h2>"), std::string::npos);
  // No address anywhere but the SVG namespace; nothing that loads.
  std::string rest = html;
  const std::string ns = "xmlns=\"http://www.w3.org/2000/svg\"";
  for (std::size_t at; (at = rest.find(ns)) != std::string::npos;) rest.erase(at, ns.size());
  EXPECT_EQ(rest.find("http://"), std::string::npos);
  EXPECT_EQ(rest.find("https://"), std::string::npos);
  EXPECT_EQ(rest.find("//"), rest.find("// "));  // no protocol-relative URL
  for (const char* loader :
       {"<script", "<link", "<img", "<iframe", "src=", "@import", "url(http", "@font-face"}) {
    EXPECT_EQ(rest.find(loader), std::string::npos) << loader;
  }
}

#ifdef DEALTRAIL_HAVE_PNG
struct Image {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::vector<std::uint8_t> rgb;  // 3 bytes a pixel
};

std::optional<Image> ReadPng(const std::string& path) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&image, path.c_str())) return std::nullopt;
  image.format = PNG_FORMAT_RGB;
  Image out;
  out.width = image.width;
  out.height = image.height;
  out.rgb.resize(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, out.rgb.data(), 0, nullptr)) return std::nullopt;
  return out;
}
#endif

TEST_F(PictureTest, ChromiumRendersThePageWithTheChart) {
  std::string chromium;
  for (const char* name : {"chromium", "chromium-browser"}) {
    if (HaveProgram(name)) {
      chromium = name;
      break;
    }
  }
  if (chromium.empty()) {
    GTEST_SKIP() << "Chromium is not installed (Debian package chromium; tools/check installs "
                    "it): the HTML page was not rendered";
  }
#ifndef DEALTRAIL_HAVE_PNG
  GTEST_SKIP() << "libpng is not installed (Debian libpng-dev; tools/check installs it): the "
                  "screenshot cannot be read";
#else
  const std::string page = dir_.File("timeline.html");
  const test::CliResult r = test::RunCli(path_, {"timeline", "--from", "2024-10", "--to", "2026-03",
                                                 "--format", "html", "--output", page});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string png = dir_.File("timeline.png");
  const std::string command = chromium +
                              " --headless --no-sandbox --disable-gpu "
                              "--disable-background-networking --disable-component-update "
                              "--disable-sync --no-first-run --user-data-dir='" +
                              dir_.File("profile") + "' --screenshot='" + png +
                              "' --window-size=1400,900 'file://" + page + "' 2>&1";
  const auto [code, log] = Shell("timeout 120 " + command);
  ASSERT_EQ(code, 0) << command << "\n" << log;
  const auto image = ReadPng(png);
  ASSERT_TRUE(image) << png << " is not a PNG";
  EXPECT_EQ(image->width, 1400u);
  EXPECT_EQ(image->height, 900u);
  // Not blank: plenty of pixels that are not the white background, many
  // colours; and the chart drew: pixels of the bars' hues (saturated
  // blue, purple, orange), which text and table rules do not have.
  std::size_t ink = 0;
  std::size_t saturated = 0;
  std::set<std::uint32_t> colours;
  for (std::size_t i = 0; i + 2 < image->rgb.size(); i += 3) {
    const int red = image->rgb[i];
    const int green = image->rgb[i + 1];
    const int blue = image->rgb[i + 2];
    if (red < 235 || green < 235 || blue < 235) ++ink;
    if (std::max({red, green, blue}) - std::min({red, green, blue}) > 60) ++saturated;
    colours.insert(static_cast<std::uint32_t>(red << 16 | green << 8 | blue));
  }
  const std::size_t pixels = std::size_t{image->width} * image->height;
  EXPECT_GT(ink, pixels / 50) << "the page looks blank";
  EXPECT_GT(colours.size(), 50u) << "too few colours for a chart";
  EXPECT_GT(saturated, 2000u) << "no bars: the chart did not render";
#endif
}

TEST_F(PictureTest, ChromiumCheckFailsOnABlankPage) {
  // The same measure on an empty page says "blank": the test above can fail.
#ifdef DEALTRAIL_HAVE_PNG
  if (!HaveProgram("chromium")) GTEST_SKIP() << "Chromium is not installed";
  const std::string page = dir_.File("blank.html");
  test::WriteFile(page, "<!DOCTYPE html><html><body></body></html>\n");
  const std::string png = dir_.File("blank.png");
  const auto [code, log] = Shell(
      "timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking "
      "--disable-component-update --disable-sync --no-first-run --user-data-dir='" +
      dir_.File("profile") + "' --screenshot='" + png + "' --window-size=1400,900 'file://" + page +
      "' 2>&1");
  ASSERT_EQ(code, 0) << log;
  const auto image = ReadPng(png);
  ASSERT_TRUE(image);
  std::size_t ink = 0;
  for (std::size_t i = 0; i + 2 < image->rgb.size(); i += 3) {
    if (image->rgb[i] < 235 || image->rgb[i + 1] < 235 || image->rgb[i + 2] < 235) ++ink;
  }
  EXPECT_LT(ink, std::size_t{1400} * 900 / 50);
#else
  GTEST_SKIP() << "libpng is not installed (Debian libpng-dev; tools/check installs it)";
#endif
}

}  // namespace
}  // namespace dealtrail
