#include "sim/commands/completion.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string_view>

#include "models/registry.hpp"
#include "sim/commands/executor.hpp"

namespace kvsim::sim::commands {
namespace {

using Words = std::vector<std::string>;

// What a verb takes after itself. Names are those of the kind named (`get
// vmi NAME`), or of a fixed kind (`start VM`); `kind/NAME` words come from
// the kinds listed in `slash_kinds`.
struct Shape {
  Words subcommands;        // the word right after the verb (`node fail`), when fixed
  bool kind = false;        // the word after the verb is a kind, then names of it
  std::string names_of;     // names of this kind after the verb (or after its subcommand)
  Words slash_kinds;        // `KIND/NAME` after the verb (or after its subcommand)
};

Shape shape_of(const std::string& verb) {
  if (verb == "get" || verb == "describe" || verb == "delete" || verb == "patch") return {{}, true, {}, {}};
  if (verb == "start" || verb == "stop" || verb == "restart" || verb == "migrate" || verb == "migrate-cancel")
    return {{}, false, "vm", {}};
  if (verb == "console" || verb == "vnc" || verb == "rdp" || verb == "guestosinfo" || verb == "userlist" ||
      verb == "fslist")
    return {{}, false, "vmi", {}};
  if (verb == "cordon" || verb == "uncordon" || verb == "drain") return {{}, false, "node", {}};
  if (verb == "pause" || verb == "unpause") return {{"vm", "vmi"}, true, {}, {}};
  if (verb == "expose") return {{"vm", "vmi", "vmirs"}, true, {}, {}};
  if (verb == "guest") return {{"crash", "read", "shutdown", "write"}, false, "vmi", {}};
  if (verb == "virsh") return {{"destroy"}, false, "vmi", {}};
  if (verb == "node") return {{"add", "fail", "recover"}, false, "node", {}};
  if (verb == "registry") return {{"fail", "recover"}, false, {}, {}};
  if (verb == "port-forward") return {{}, false, {}, {"vmi"}};
  if (verb == "scale") return {{}, false, {}, {"deployment", "rs", "sts", "vmirs"}};
  if (verb == "set") return {{"image"}, false, {}, {"deployment", "rs", "ds", "sts"}};
  if (verb == "rollout") return {{"history", "pause", "restart", "resume", "status", "undo"}, false, {}, {"deployment"}};
  return {};
}

// Every word a modelled kind answers to: plural, singular, short names.
Words kind_words() {
  Words out;
  for (const auto* k : models::all_kinds()) {
    if (!k->not_modelled.empty()) continue;
    std::string singular(k->kind);
    std::transform(singular.begin(), singular.end(), singular.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    out.push_back(singular);
    out.emplace_back(k->plural);
    for (auto s : k->short_names) out.emplace_back(s);
  }
  return out;
}

Words names(const CompletionContext& context, const std::string& kind_word, const std::string& ns) {
  const auto* kind = models::find_kind(kind_word);
  if (!kind || !kind->not_modelled.empty()) return {};
  Words out;
  for (const auto& o : context.store.list(*kind, kind->namespaced ? ns : std::string())) out.push_back(o->metadata.name);
  return out;
}

bool takes_value(const std::string& flag) {
  return flag == "-n" || flag == "--namespace" || flag == "-o" || flag == "--output" || flag == "-l" ||
         flag == "--selector" || flag == "-f" || flag == "--filename" || flag == "--field-selector";
}

// The candidates for the next word, given the words before it.
Words next_words(const Words& before, const std::string& word, const CompletionContext& context) {
  std::string ns = context.ns;
  Words positional;
  for (std::size_t i = 0; i < before.size(); ++i) {
    const auto& w = before[i];
    if ((w == "-n" || w == "--namespace") && i + 1 < before.size()) ns = before[i + 1];
    else if (w.starts_with("--namespace=")) ns = w.substr(12);
    else if (w == "-A" || w == "--all-namespaces") ns.clear();
    if (takes_value(w)) ++i;
    else if (!w.starts_with("-")) positional.push_back(w);
  }
  if (!before.empty() && (before.back() == "-n" || before.back() == "--namespace"))
    return names(context, "namespace", "");
  if (!before.empty() && (before.back() == "-o" || before.back() == "--output")) return {"json", "name", "wide", "yaml"};
  if (!before.empty() && takes_value(before.back())) return {};
  if (word.starts_with("-")) return {};
  if (positional.empty()) {
    Words verbs(command_verbs().begin(), command_verbs().end());
    for (const auto& [verb, _] : context.extra_verbs) verbs.push_back(verb);
    return verbs;
  }
  const std::string& verb = positional[0];
  Words args(positional.begin() + 1, positional.end());
  if (auto extra = context.extra_verbs.find(verb); extra != context.extra_verbs.end())
    return args.empty() ? extra->second : Words{};
  Shape shape = shape_of(verb);
  if (!shape.subcommands.empty()) {
    if (args.empty()) return shape.subcommands;
    if (shape.kind) return args.size() == 1 ? names(context, args[0], ns) : Words{};  // pause vm NAME
    if (verb == "node" && args[0] == "add") return {};                               // a new node's name
    args.erase(args.begin());
  }
  if (!shape.slash_kinds.empty()) {
    if (!args.empty()) return {};
    Words out;
    if (auto slash = word.find('/'); slash != std::string::npos) {
      const std::string kind = word.substr(0, slash);
      for (const auto& n : names(context, kind, ns)) out.push_back(kind + "/" + n);
    } else {
      for (const auto& k : shape.slash_kinds) out.push_back(k + "/");
    }
    return out;
  }
  if (shape.kind) {
    if (args.empty()) {
      if (auto slash = word.find('/'); slash != std::string::npos) {
        Words out;
        const std::string kind = word.substr(0, slash);
        for (const auto& n : names(context, kind, ns)) out.push_back(kind + "/" + n);
        return out;
      }
      return kind_words();
    }
    if (args[0].find('/') != std::string::npos) return {};  // `get vmi/NAME` named its object
    return names(context, args[0], ns);
  }
  if (!shape.names_of.empty()) return names(context, shape.names_of, ns);
  return {};
}

}  // namespace

Completion complete(const std::string& line, std::size_t cursor, const CompletionContext& context) {
  Completion c;
  const std::string head = line.substr(0, std::min(cursor, line.size()));
  // Inside a quote the word is free text (a guest command, a label value).
  if (std::count(head.begin(), head.end(), '\'') % 2 || std::count(head.begin(), head.end(), '"') % 2) return c;
  const auto space = head.find_last_of(" \t");
  c.start = space == std::string::npos ? 0 : space + 1;
  c.word = head.substr(c.start);
  std::string error;
  Words before = split_words(head.substr(0, c.start), error);
  if (!before.empty() && (before[0] == "oc" || before[0] == "kubectl" || before[0] == "virtctl"))
    before.erase(before.begin());
  for (auto& w : next_words(before, c.word, context))
    if (w.starts_with(c.word)) c.candidates.push_back(std::move(w));
  std::sort(c.candidates.begin(), c.candidates.end());
  c.candidates.erase(std::unique(c.candidates.begin(), c.candidates.end()), c.candidates.end());
  if (c.candidates.empty()) return c;
  std::string shared = c.candidates.front();
  for (const auto& w : c.candidates) {
    std::size_t n = 0;
    while (n < shared.size() && n < w.size() && shared[n] == w[n]) ++n;
    shared.resize(n);
  }
  c.insertion = shared.substr(c.word.size());
  if (c.candidates.size() == 1 && !shared.ends_with("/")) c.insertion += " ";
  return c;
}

std::string list_candidates(const std::vector<std::string>& candidates, std::size_t width) {
  std::string out;
  for (const auto& c : candidates) out += (out.empty() ? "" : "  ") + c;
  if (out.size() <= width) return out;
  out.clear();
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const std::string next = (out.empty() ? "" : "  ") + candidates[i];
    // A candidate is shown only with room left to say how many follow it.
    const std::size_t after = candidates.size() - i - 1;
    const std::string more_after = after ? fmt::format("  (+{} more)", after) : "";
    if (out.size() + next.size() + more_after.size() > width)
      return out + fmt::format("{}(+{} more)", out.empty() ? "" : "  ", candidates.size() - i);
    out += next;
  }
  return out;
}

}  // namespace kvsim::sim::commands
