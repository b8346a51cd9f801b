// The prompts' history file: kept across runs, bounded, written whole and
// renamed, and read back line by line, damaged lines skipped.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "sim/commands/command_history.hpp"
#include "sim/commands/command_input.hpp"

namespace fs = std::filesystem;
using kvsim::sim::commands::CommandHistory;
using kvsim::sim::commands::parse_history;
using Lines = std::vector<std::string>;

namespace {

// A folder of its own per test, removed after it.
struct TempFolder {
  fs::path path;
  TempFolder() {
    std::string pattern = (fs::temp_directory_path() / "kvsim-history-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()));
    path = pattern;
  }
  ~TempFolder() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

}  // namespace

TEST_CASE("a line typed in one run is recalled in the next, from a file of one command a line") {
  TempFolder dir;
  const auto file = dir.path / "state" / "kvsim" / "history";  // folders made on the first write
  {
    CommandHistory first(file.string());
    CHECK(first.lines().empty());
    CHECK(first.add("get vmis") == "");
    CHECK(first.add("delete vmi vm1") == "");
    CHECK(first.add("delete vmi vm1 ") == "");  // the same line again (Tab's trailing blank aside) is kept once
    CHECK(first.add("") == "");
    CHECK(first.add("quit") == "");  // ending the session is not worth recalling
    CHECK(first.lines() == Lines{"get vmis", "delete vmi vm1"});
  }
  CHECK(read_file(file) == "get vmis\ndelete vmi vm1\n");
  CommandHistory second(file.string());
  CHECK(second.lines() == Lines{"get vmis", "delete vmi vm1"});
  CHECK(second.take_notice() == "");
  second.add("get vmis");
  CHECK(read_file(file) == "get vmis\ndelete vmi vm1\nget vmis\n");
}

TEST_CASE("the history keeps the newest 1000 lines, on disk and in memory") {
  TempFolder dir;
  const auto file = dir.path / "history";
  std::string text;
  for (int i = 0; i < 1200; ++i) text += "advance " + std::to_string(i) + "s\n";
  write(file, text);
  CommandHistory h(file.string());
  REQUIRE(h.lines().size() == 1000);
  CHECK(h.lines().front() == "advance 200s");
  h.add("get pods");
  CHECK(h.lines().size() == 1000);
  CHECK(h.lines().front() == "advance 201s");
  std::size_t skipped = 0;
  const auto on_disk = parse_history(read_file(file), skipped);
  CHECK(on_disk.size() == 1000);
  CHECK(on_disk.front() == "advance 201s");
  CHECK(on_disk.back() == "get pods");
}

TEST_CASE("a crash mid-write leaves the previous history whole: the half-written temp file is never read, and is replaced") {
  TempFolder dir;
  const auto file = dir.path / "history";
  write(file, "get vms\nstart vm1\n");
  // What a write cut by a crash leaves beside the file: half a history, no rename.
  write(dir.path / "history.partial", "get vms\nstart v");
  CommandHistory h(file.string());
  CHECK(h.lines() == Lines{"get vms", "start vm1"});
  CHECK(h.take_notice() == "");
  h.add("stop vm1");
  CHECK(read_file(file) == "get vms\nstart vm1\nstop vm1\n");
  CHECK_FALSE(fs::exists(dir.path / "history.partial"));
}

TEST_CASE("a damaged history file costs only its damaged lines: binary bytes, a cut last line, invalid UTF-8, an over-long line") {
  TempFolder dir;
  const auto file = dir.path / "history";
  const std::string too_long(kvsim::sim::commands::kMaxCommandLineBytes + 1, 'x');
  write(file, std::string("get vms\n\x01\x02\xff garbage\n") + std::string("desc\0ribe\n", 10) +
                  "get vmi vm1 -o yaml\r\n" + "\xc3\x28 bad utf-8\n" + too_long + "\n" + "label vm1 owner=j\xc3\xbcrgen\n\n" +
                  "start v");
  CommandHistory h(file.string());
  CHECK(h.lines() == Lines{"get vms", "get vmi vm1 -o yaml", "label vm1 owner=j\xc3\xbcrgen"});
  CHECK(h.take_notice() == "history " + file.string() + ": 5 damaged lines skipped (kept: 3)");
  CHECK(h.take_notice() == "");  // said once
  // The next write keeps what was good, and only that.
  h.add("get vms");
  CHECK(read_file(file) == "get vms\nget vmi vm1 -o yaml\nlabel vm1 owner=j\xc3\xbcrgen\nget vms\n");

  std::size_t skipped = 0;
  CHECK(parse_history(std::string(4096, '\0'), skipped).empty());
  CHECK(skipped == 1);  // one cut "line" of NULs
  CHECK(parse_history("", skipped).empty());
  CHECK(skipped == 0);
}

TEST_CASE("two sessions writing the history at once both keep their lines") {
  TempFolder dir;
  const auto file = (dir.path / "history").string();
  CommandHistory shell(file), tui(file);
  shell.add("get vms");
  tui.add("node fail worker-2");
  shell.add("advance 30s");
  CHECK(read_file(file) == "get vms\nnode fail worker-2\nadvance 30s\n");
  // Each session recalls its own lines (as bash does); the next run recalls them all.
  CHECK(shell.lines() == Lines{"get vms", "advance 30s"});
  CHECK(CommandHistory(file).lines().size() == 3);
}

TEST_CASE("a history that cannot be written is said once, and the session keeps its lines in memory") {
  TempFolder dir;
  write(dir.path / "not-a-folder", "");  // where the history's folder should be (root too cannot write there)
  CommandHistory h((dir.path / "not-a-folder" / "history").string());
  const auto error = h.add("get vms");
  CHECK_THAT(error, Catch::Matches("history: cannot create .*/kvsim-history-[^/]+/not-a-folder: Not a directory; "
                                   "this session's lines are kept in memory only"));
  CHECK(h.add("get vmis") == "");
  CHECK(h.lines() == Lines{"get vms", "get vmis"});
}

TEST_CASE("a history file that is not a file is an empty history, said so") {
  TempFolder dir;
  CommandHistory h(dir.path.string());  // a folder
  CHECK(h.lines().empty());
  CHECK_THAT(h.take_notice(), Catch::Contains("cannot read it"));
  CommandHistory memory_only("");
  memory_only.add("get vms");
  CHECK(memory_only.lines() == Lines{"get vms"});
}

TEST_CASE("the history file is KVSIM_HISTORY, else under XDG_STATE_HOME, else under ~/.local/state") {
  const auto restore = [](const char* name, const char* was) {
    if (was) ::setenv(name, was, 1);
    else ::unsetenv(name);
  };
  const char* own = std::getenv("KVSIM_HISTORY");
  const char* state = std::getenv("XDG_STATE_HOME");
  const char* home = std::getenv("HOME");
  const std::string own_was = own ? own : "", state_was = state ? state : "", home_was = home ? home : "";
  ::setenv("KVSIM_HISTORY", "/tmp/h", 1);
  CHECK(kvsim::sim::commands::default_history_path() == "/tmp/h");
  ::unsetenv("KVSIM_HISTORY");
  ::setenv("XDG_STATE_HOME", "/var/state", 1);
  CHECK(kvsim::sim::commands::default_history_path() == "/var/state/kvsim/history");
  ::setenv("XDG_STATE_HOME", "relative", 1);  // the XDG spec: a relative path is ignored
  ::setenv("HOME", "/home/t", 1);
  CHECK(kvsim::sim::commands::default_history_path() == "/home/t/.local/state/kvsim/history");
  restore("KVSIM_HISTORY", own ? own_was.c_str() : nullptr);
  restore("XDG_STATE_HOME", state ? state_was.c_str() : nullptr);
  restore("HOME", home ? home_was.c_str() : nullptr);
}
