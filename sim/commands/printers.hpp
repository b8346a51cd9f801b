#pragma once
// What `oc get` and `oc describe` print, as pure functions of API objects and
// the sim clock.
//
// Tables follow kubectl's server-side printers (k8s.io/kubernetes
// pkg/printers/internalversion/printers.go) for built-in kinds and the CRDs'
// additionalPrinterColumns for KubeVirt kinds (FIDELITY.md §3); describe
// follows kubectl's describers (k8s.io/kubectl/pkg/describe) for the sections
// kvsim models. Both lay text out as Go's text/tabwriter does, with kubectl's
// settings: tables pad columns to their widest cell + 3 (minimum 6), describe
// to the widest cell + 2 within each block of consecutive tabbed lines.
#include <memory>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/core.hpp"
#include "models/kind_info.hpp"

namespace kvsim::sim::commands {

struct TableOptions {
  bool wide = false;            // -o wide: the priority-1 columns too
  bool all_namespaces = false;  // -A: a leading NAMESPACE column (namespaced kinds only, as kubectl)
  bool show_kind = false;       // several kinds at once: names as "deployment.apps/web"
  bool show_labels = false;     // --show-labels: a last LABELS column (labels.FormatLabels)
};

// The table `oc get <kind>` prints: a header line, then one line per object in
// the order given. Empty list -> "" (the caller prints "No resources found in
// <ns> namespace."). Every line ends in '\n' and carries no trailing spaces.
std::string print_table(const models::KindInfo& kind, const std::vector<models::ObjectPtr>& objects, double now,
                        const TableOptions& opts);

// The same table in pieces, for a front end that lays out only the rows it
// shows (the TUI): print_table's header and one object's cells, unpadded.
std::vector<std::string> table_header(const models::KindInfo& kind, bool wide);
std::vector<std::string> table_cells(const models::KindInfo& kind, const models::Object& obj, double now, bool wide);

// `oc describe`: the metadata block (Name, Namespace, Labels, Annotations, API
// Version, Kind, CreationTimestamp), the kind's own sections, then Events
// (sorted by lastTimestamp, "<none>" when empty).
// `pods`, when given, are the objects kubectl would fetch alongside: for a
// ReplicaSet/DaemonSet/StatefulSet the "Pods Status" line counts the pods it
// controls; for a Node, "Non-terminated Pods" and "Allocated resources" use
// those bound to it; a PVC's "Used By" lists the pods naming it; a Service's
// "Endpoints" come from its Endpoints object. Without them those lines are left out.
std::string describe(const models::Object& obj, const std::vector<std::shared_ptr<const models::Event>>& events,
                     double now, const std::vector<models::ObjectPtr>* pods = nullptr);

// ---- building blocks shared by both (and useful to other commands) ----

// The pod STATUS column as kubectl computes it: Init:..., a container's
// waiting/terminated reason, Completed, Terminating, or the phase.
std::string pod_status_reason(const models::Pod& pod);

// AGE: kubectl's translateTimestampSince. The timestamp counts in whole seconds
// as on the wire; "<unknown>" when unset.
std::string age_since(const std::optional<models::Timestamp>& t, double now);

// Go's time.RFC1123Z in UTC, as describe prints times: "Thu, 01 Jan 2026 00:00:10 +0000".
std::string format_rfc1123z(models::Timestamp t);

// labels.FormatLabels: "k=v,k2=v2" in key order, "<none>" when empty.
std::string format_labels(const std::map<std::string, std::string>& labels);
std::string join(const std::vector<std::string>& items, std::string_view sep = ",");

// kubectl's name for a kind in "kind/name" output: "pod", "deployment.apps",
// "virtualmachineinstance.kubevirt.io".
std::string kind_resource_name(const models::KindInfo& kind);

// Go's text/tabwriter (left-aligned, space padding) over lines already split
// into cells: every cell but a line's last is tab-terminated and belongs to a
// column; a column block is a run of consecutive lines that have that column.
// Trailing spaces are trimmed; each line ends in '\n'.
std::string tabwrite(const std::vector<std::vector<std::string>>& lines, std::size_t min_width,
                     std::size_t padding);
// The same over text with '\t' between cells and '\n' between lines.
std::string tabwrite(const std::string& text, std::size_t min_width, std::size_t padding);
// The same padded with tabs (Go's padchar '\t': each cell rounded up to a multiple of
// tab_width), as oc's describers (tabbedString: 0, 8, 1, '\t') lay text out.
std::string tabwrite_with_tabs(const std::string& text, std::size_t tab_width, std::size_t padding);

}  // namespace kvsim::sim::commands
