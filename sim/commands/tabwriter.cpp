// Go's text/tabwriter, as kubectl configures it for tables and describe.
#include "sim/commands/printers.hpp"

#include <algorithm>

namespace kvsim::sim::commands {

namespace {

// Go's tabwriter counts runes, not bytes.
std::size_t display_width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

void trim_trailing_spaces(std::string& s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
}

// A port of text/tabwriter's format/writeLines for left-aligned cells padded with spaces.
class TabFormatter {
 public:
  // tab_width > 0: padded with tabs as Go's tabwriter pads with padchar '\t' (cells rounded up
  // to a multiple of tab_width), as oc's own describers configure it.
  TabFormatter(const std::vector<std::vector<std::string>>& lines, std::size_t min_width, std::size_t padding,
               std::size_t tab_width = 0)
      : lines_(lines), min_width_(min_width), padding_(padding), tab_width_(tab_width) {}

  std::string run() {
    format(0, lines_.size());
    return std::move(out_);
  }

 private:
  // Lines [line0, line1) all have the columns left of widths_.size().
  void format(std::size_t line0, std::size_t line1) {
    const std::size_t column = widths_.size();
    for (std::size_t at = line0; at < line1; ++at) {
      if (column + 1 >= lines_[at].size()) continue;  // no tab-terminated cell in this column
      write_lines(line0, at);
      line0 = at;
      std::size_t width = min_width_;
      for (; at < line1; ++at) {
        if (column + 1 >= lines_[at].size()) break;
        width = std::max(width, display_width(lines_[at][column]) + padding_);
      }
      widths_.push_back(width);
      format(line0, at);
      widths_.pop_back();
      line0 = at;
    }
    write_lines(line0, line1);
  }

  void write_lines(std::size_t line0, std::size_t line1) {
    for (std::size_t i = line0; i < line1; ++i) {
      std::string text;
      const auto& cells = lines_[i];
      for (std::size_t j = 0; j < cells.size(); ++j) {
        text += cells[j];
        if (j < widths_.size()) {
          const std::size_t w = display_width(cells[j]);
          if (tab_width_ > 0) {
            const std::size_t cell = (widths_[j] + tab_width_ - 1) / tab_width_ * tab_width_;
            text.append((cell - w + tab_width_ - 1) / tab_width_, '\t');
          } else if (widths_[j] > w) {
            text.append(widths_[j] - w, ' ');
          }
        }
      }
      if (tab_width_ == 0) trim_trailing_spaces(text);
      out_ += text;
      out_ += '\n';
    }
  }

  const std::vector<std::vector<std::string>>& lines_;
  std::size_t min_width_, padding_, tab_width_;
  std::vector<std::size_t> widths_;
  std::string out_;
};

}  // namespace

std::string tabwrite(const std::vector<std::vector<std::string>>& lines, std::size_t min_width,
                     std::size_t padding) {
  return TabFormatter(lines, min_width, padding).run();
}

namespace {

std::vector<std::vector<std::string>> split_cells(const std::string& text) {
  std::vector<std::vector<std::string>> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::vector<std::string> cells;
    std::size_t cell = start;
    for (std::size_t tab; (tab = text.find('\t', cell)) != std::string::npos && tab < end; cell = tab + 1)
      cells.push_back(text.substr(cell, tab - cell));
    cells.push_back(text.substr(cell, end - cell));
    lines.push_back(std::move(cells));
    start = end + 1;
  }
  return lines;
}

}  // namespace

std::string tabwrite(const std::string& text, std::size_t min_width, std::size_t padding) {
  return tabwrite(split_cells(text), min_width, padding);
}

std::string tabwrite_with_tabs(const std::string& text, std::size_t tab_width, std::size_t padding) {
  return TabFormatter(split_cells(text), 0, padding, tab_width).run();
}

}  // namespace kvsim::sim::commands
