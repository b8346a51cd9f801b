#include "models/codec/safe_yaml.hpp"

#include <fmt/format.h>
#include <yaml.h>

#include <algorithm>
#include <map>
#include <memory>

namespace kvsim::models {
struct YamlNodeAccess;
}

// yaml-cpp wraps a built node into a YAML::Node only in its NodeBuilder,
// which it does not install. Node declares every specialization of as_if a
// friend (yaml-cpp/node/node.h: `template <typename T, typename S> friend
// struct as_if`); this one, keyed on a kvsim type, uses that to wrap a node
// built through the installed detail::node API, as NodeBuilder itself does.
namespace YAML {
template <>
struct as_if<kvsim::models::YamlNodeAccess, kvsim::models::YamlNodeAccess> {
  static Node wrap(detail::node& node, const detail::shared_memory_holder& memory) { return Node(node, memory); }
};
}  // namespace YAML

namespace kvsim::models {
namespace {

using Wrap = YAML::as_if<YamlNodeAccess, YamlNodeAccess>;

// Where a byte offset of `text` is: line and column (in characters) from 1.
Location location_at_offset(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  const auto before = text.substr(0, offset);
  const auto line_start = before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1;
  int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
  int column = 1;
  for (auto i = line_start; i < offset; ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;  // UTF-8 continuation bytes do not count
  return {line, column};
}

// libyaml places errors at the end of the input on the line after it, even
// when the input does not end with a newline; point at the last character then.
Location location_of_mark(std::string_view text, const yaml_mark_t& mark) {
  const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  if (!text.empty() && text.back() != '\n' && mark.line > lines) return location_at_offset(text, text.size());
  return {static_cast<int>(mark.line) + 1, static_cast<int>(mark.column) + 1};
}

std::string scalar_of(const yaml_event_t& e) {
  return std::string(reinterpret_cast<const char*>(e.data.scalar.value), e.data.scalar.length);
}

std::string text_of(const yaml_char_t* s) { return s ? std::string(reinterpret_cast<const char*>(s)) : std::string(); }

// A node being filled: a sequence, or a map and the key awaiting its value.
struct Open {
  YAML::detail::node* node;
  bool is_map;
  std::string anchor;
  YAML::detail::node* key = nullptr;
  std::size_t nodes = 1;   // in its subtree, aliases expanded
  std::size_t height = 1;  // levels, aliases expanded
};

struct Anchored {
  YAML::detail::node* node;
  std::size_t nodes;
  std::size_t height;
};

class Builder {
 public:
  Builder(std::string_view text, const std::string& file, Problems& problems, const InputLimits& limits, bool single)
      : text_(text), file_(file), problems_(problems), limits_(limits), single_(single) {}

  std::optional<std::vector<YAML::Node>> run() {
    if (text_.size() > limits_.max_bytes)
      return fail(location_at_offset(text_, limits_.max_bytes),
                  fmt::format("the input is larger than the cap of {}; it passes the cap here",
                              describe_bytes(limits_.max_bytes)));
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) return fail({}, "out of memory");
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text_.data()), text_.size());
    bool ok = true;
    for (bool done = false; ok && !done;) {
      yaml_event_t event;
      if (!yaml_parser_parse(&parser, &event)) {
        ok = parser_error(parser);
        break;
      }
      done = event.type == YAML_STREAM_END_EVENT;
      ok = on_event(event);
      yaml_event_delete(&event);
    }
    yaml_parser_delete(&parser);
    if (!ok) return std::nullopt;
    return std::move(documents_);
  }

 private:
  // Where an event starts, turned into a line and column only for a problem
  // (that takes a pass over the text, which every event cannot afford).
  struct Where {
    std::string_view text;
    yaml_mark_t mark;
    operator Location() const { return location_of_mark(text, mark); }
  };

  std::nullopt_t fail(Location at, std::string message) {
    problems_.push_back(Problem{file_, at, "", "YAML: " + std::move(message)});
    return std::nullopt;
  }

  bool parser_error(const yaml_parser_t& p) {
    const std::string problem = p.problem ? p.problem : "unreadable input";
    if (p.error == YAML_MEMORY_ERROR) return fail({}, "out of memory"), false;
    if (p.error == YAML_READER_ERROR) {
      const std::string value = p.problem_value >= 0 ? fmt::format(" (#x{:X})", p.problem_value) : "";
      return fail(location_at_offset(text_, p.problem_offset), problem + value), false;
    }
    const Location at = location_of_mark(text_, p.problem_mark);
    std::string message = problem;
    if (p.context) {
      const Location context_at = location_of_mark(text_, p.context_mark);
      message += context_at.line == at.line && context_at.column == at.column
                     ? fmt::format(" ({})", p.context)
                     : fmt::format(" ({} at {}:{})", p.context, context_at.line, context_at.column);
    }
    return fail(at, message), false;
  }

  bool on_event(const yaml_event_t& e) {
    const Where at{text_, e.start_mark};
    switch (e.type) {
      case YAML_DOCUMENT_START_EVENT:
        if (single_ && !documents_.empty())
          return fail(at, "expected one document; a second one starts here"), false;
        if (documents_.size() >= limits_.max_documents)
          return fail(at, fmt::format("more documents than the cap of {} in one input", limits_.max_documents)), false;
        memory_ = std::make_shared<YAML::detail::memory_holder>();
        anchors_.clear();
        root_ = nullptr;
        return true;
      case YAML_DOCUMENT_END_EVENT:
        documents_.push_back(root_ ? Wrap::wrap(*root_, memory_) : YAML::Node());
        return true;
      case YAML_SCALAR_EVENT: {
        if (!deep_enough(at, 1) || !few_enough(at, 1)) return false;
        if (e.data.scalar.length > limits_.max_scalar_bytes)
          return fail(at, fmt::format("a scalar of {} bytes is longer than the cap of {}", e.data.scalar.length,
                                      describe_bytes(limits_.max_scalar_bytes))),
                 false;
        auto& node = create(e.start_mark);
        const bool plain = e.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        std::string value = scalar_of(e);
        // As yaml-cpp: an untagged plain null ("", ~, null) is a Null node; other
        // scalars carry "?" when plain and "!" when quoted (decoder.cpp reads it).
        if (!e.data.scalar.tag && plain && YAML::IsNullString(value)) node.set_null();
        else {
          node.set_scalar(value);
          node.set_tag(e.data.scalar.tag ? text_of(e.data.scalar.tag) : plain ? "?" : "!");
        }
        return close(node, text_of(e.data.scalar.anchor), 1, 1);
      }
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT: {
        if (!deep_enough(at, 1) || !few_enough(at, 1)) return false;
        const bool is_map = e.type == YAML_MAPPING_START_EVENT;
        auto& node = create(e.start_mark);
        node.set_type(is_map ? YAML::NodeType::Map : YAML::NodeType::Sequence);
        const auto* tag = is_map ? e.data.mapping_start.tag : e.data.sequence_start.tag;
        node.set_tag(tag ? text_of(tag) : "?");
        const bool flow = is_map ? e.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                                 : e.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
        node.set_style(flow ? YAML::EmitterStyle::Flow : YAML::EmitterStyle::Block);
        open_.push_back(Open{&node, is_map, text_of(is_map ? e.data.mapping_start.anchor : e.data.sequence_start.anchor)});
        return true;
      }
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: {
        Open done = std::move(open_.back());
        open_.pop_back();
        return close(*done.node, done.anchor, done.nodes, done.height);
      }
      case YAML_ALIAS_EVENT: return alias(at, text_of(e.data.alias.anchor));
      default: return true;  // stream start and end
    }
  }

  bool alias(const Where& at, const std::string& name) {
    for (const auto& o : open_)
      if (o.anchor == name)
        return fail(at, fmt::format("alias *{} is inside the node it names (a structure that contains itself)", name)),
               false;
    const auto it = anchors_.find(name);
    if (it == anchors_.end())
      return fail(at, fmt::format("unknown alias *{} (its anchor &{} must come first, in the same document)", name,
                                  name)),
             false;
    const Anchored target = it->second;
    if (!deep_enough(at, target.height) || !few_enough(at, target.nodes)) return false;
    return close(*target.node, "", target.nodes, target.height);
  }

  bool few_enough(const Where& at, std::size_t nodes) {
    nodes_ += nodes;
    if (nodes_ <= limits_.max_nodes) return true;
    return fail(at, fmt::format("more nodes than the cap of {} in one input (an alias counts the nodes it repeats)",
                                limits_.max_nodes)),
           false;
  }

  bool deep_enough(const Where& at, std::size_t height) {
    if (open_.size() + height <= limits_.max_depth) return true;
    return fail(at, fmt::format("nesting deeper than the cap of {} levels", limits_.max_depth)), false;
  }

  YAML::detail::node& create(const yaml_mark_t& mark) {
    auto& node = memory_->create_node();
    YAML::Mark at;
    at.pos = static_cast<int>(mark.index);
    at.line = static_cast<int>(mark.line);
    at.column = static_cast<int>(mark.column);
    node.set_mark(at);
    return node;
  }

  // A complete node joins its parent (or is the document's root).
  bool close(YAML::detail::node& node, const std::string& anchor, std::size_t nodes, std::size_t height) {
    if (!anchor.empty()) anchors_[anchor] = Anchored{&node, nodes, height};
    if (open_.empty()) {
      root_ = &node;
      return true;
    }
    Open& parent = open_.back();
    parent.nodes += nodes;
    parent.height = std::max(parent.height, height + 1);
    if (!parent.is_map) parent.node->push_back(node, memory_);
    else if (!parent.key) parent.key = &node;
    else {
      parent.node->insert(*parent.key, node, memory_);
      parent.key = nullptr;
    }
    return true;
  }

  std::string_view text_;
  const std::string& file_;
  Problems& problems_;
  const InputLimits& limits_;
  const bool single_;

  std::vector<YAML::Node> documents_;
  YAML::detail::shared_memory_holder memory_;
  std::vector<Open> open_;
  std::map<std::string, Anchored> anchors_;
  YAML::detail::node* root_ = nullptr;
  std::size_t nodes_ = 0;  // in all documents so far, aliases expanded
};

}  // namespace

std::optional<std::vector<YAML::Node>> parse_yaml_documents(std::string_view text, const std::string& file,
                                                            Problems& problems, const InputLimits& limits) {
  return Builder(text, file, problems, limits, false).run();
}

std::optional<YAML::Node> parse_yaml_document(std::string_view text, const std::string& file, Problems& problems,
                                              const InputLimits& limits) {
  auto docs = Builder(text, file, problems, limits, true).run();
  if (!docs) return std::nullopt;
  return docs->empty() ? YAML::Node() : docs->front();
}

std::optional<Json> parse_json_value(std::string_view text, JsonError& error, const InputLimits& limits) {
  // Depth first, in one pass: for valid JSON this count is exact, and invalid
  // JSON is refused by the parser below anyway.
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limits.max_depth) {
        error = {i + 1, fmt::format("nesting deeper than the cap of {} levels", limits.max_depth)};
        return std::nullopt;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    // "[json.exception.parse_error.101] parse error at line 1, column 2: what" -> "what", at the byte it names.
    const std::string what = e.what();
    const auto column = what.find(", column ");
    const auto cut = column == std::string::npos ? std::string::npos : what.find(": ", column);
    error = {std::max<std::size_t>(e.byte, 1), cut == std::string::npos ? what : what.substr(cut + 2)};
  } catch (const Json::out_of_range& e) {
    // "[json.exception.out_of_range.406] number overflow parsing '-7e863281'": a
    // number no double holds. Located at the number's first byte.
    const std::string what = e.what();
    const auto open = what.find('\'');
    const auto close = open == std::string::npos ? open : what.find('\'', open + 1);
    const std::string number = close == std::string::npos ? "" : what.substr(open + 1, close - open - 1);
    const auto at = number.empty() ? std::string_view::npos : text.find(number);
    error = {at == std::string_view::npos ? 1 : at + 1,
             number.empty() ? "a number out of range" : fmt::format("the number {} is out of range", number)};
  }
  return std::nullopt;
}

std::string describe_bytes(std::size_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return fmt::format("{} MiB ({} bytes)", bytes >> 20, bytes);
  if (bytes >= (1u << 10) && bytes % (1u << 10) == 0) return fmt::format("{} KiB ({} bytes)", bytes >> 10, bytes);
  return fmt::format("{} bytes", bytes);
}

}  // namespace kvsim::models
