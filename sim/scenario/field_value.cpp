#include "sim/scenario/field_value.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <limits>
#include <optional>
#include <type_traits>
#include <vector>

#include "models/apps.hpp"
#include "models/cdi.hpp"
#include "models/controller_revision.hpp"
#include "models/instancetype.hpp"
#include "models/cdi_sources.hpp"
#include "models/template.hpp"
#include "models/volume_snapshot.hpp"
#include "models/codec/encoder.hpp"
#include "models/core.hpp"
#include "models/discovery.hpp"
#include "models/kubevirt.hpp"
#include "models/pod.hpp"
#include "models/policy.hpp"
#include "models/sriov.hpp"
#include "models/storage.hpp"

namespace kvsim::sim::scenario {
namespace {

using models::Json;

// One part of a path: a field name, and maybe which list element to take,
// by index (interfaces[0]) or as the first whose key has a value (conditions[type=Ready]).
struct Step {
  std::string name;
  std::optional<std::size_t> index;
  std::string match_key, match_value;
  bool picks_element() const { return index || !match_key.empty(); }
};

// nullopt when a [...] is neither an index nor key=value: such a path reads nothing.
std::optional<std::vector<Step>> parse_path(const std::string& path) {
  std::vector<Step> steps;
  std::size_t start = 0;
  while (start <= path.size()) {
    // The next dot outside brackets: taints[key=node.kubernetes.io/unreachable] is one part.
    auto dot = path.find('.', start);
    if (auto br = path.find('[', start); br != std::string::npos && br < dot) {
      const auto close = path.find(']', br);
      dot = close == std::string::npos ? std::string::npos : path.find('.', close);
    }
    Step step{path.substr(start, dot == std::string::npos ? std::string::npos : dot - start), {}, {}, {}};
    if (auto br = step.name.find('['); br != std::string::npos) {
      const std::string inside = step.name.substr(br + 1, step.name.find(']', br) - br - 1);
      if (auto eq = inside.find('='); eq != std::string::npos) {
        step.match_key = inside.substr(0, eq);
        step.match_value = inside.substr(eq + 1);
      } else if (!inside.empty() && std::all_of(inside.begin(), inside.end(), ::isdigit)) {
        // An index too large for size_t is past the end of any list.
        step.index = inside.size() > 18 ? std::numeric_limits<std::size_t>::max() : std::stoul(inside);
      } else {
        return std::nullopt;
      }
      step.name.resize(br);
    }
    steps.push_back(std::move(step));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return steps;
}

// The list element a step picks, or null.
const Json* pick_element(const Json& list, const Step& step) {
  if (!list.is_array()) return nullptr;
  if (step.index) return *step.index < list.size() ? &list[*step.index] : nullptr;
  for (const auto& e : list) {
    if (!e.is_object()) continue;
    const auto it = e.find(step.match_key);
    if (it != e.end() && it->is_string() && it->get_ref<const std::string&>() == step.match_value) return &e;
  }
  return nullptr;
}

// Follows steps[from...] down a JSON value (pointers, no copies).
const Json* walk_json(const Json* j, const std::vector<Step>& steps, std::size_t from) {
  for (std::size_t i = from; i < steps.size() && j; ++i) {
    if (!j->is_object()) return nullptr;
    const auto it = j->find(steps[i].name);
    if (it == j->end()) return nullptr;
    j = &*it;
    if (steps[i].picks_element()) j = pick_element(*j, steps[i]);
  }
  return j;
}

std::string text_of(const Json* j) {
  if (!j) return {};
  return j->is_string() ? j->get<std::string>() : j->dump();
}

// std::optional of a struct with fields (an optional status block).
template <class T>
struct IsOptionalStruct : std::false_type {};
template <class T>
struct IsOptionalStruct<std::optional<T>> : std::bool_constant<models::EncodableFields<T>> {};
template <class T>
struct IsOptionalStruct<models::Boxed<T>> : std::bool_constant<models::EncodableFields<T>> {};

template <class T>
std::string read_fields(const T& value, const std::vector<Step>& steps, std::size_t at);

// A visitor over one struct's fields (visit_fields), as the Encoder is, that
// acts only on the field steps[at] names. Through a plain struct (or a set
// optional one) it goes on field by field; any other member (a list, a map, a
// scalar) is encoded by the Encoder itself, and the rest of the path is read
// on that JSON. So what it finds is what to_json would hold there.
class StepReader {
 public:
  StepReader(const std::vector<Step>& steps, std::size_t at) : steps_(steps), at_(at) {}

  template <class T>
  void field(const char* key, const T& v, int presence = models::Optional) {
    const Step& step = steps_[at_];
    if (step.name != key) return;
    const bool more = at_ + 1 < steps_.size() && !step.picks_element();
    if constexpr (models::EncodableFields<T>) {
      // Present in the JSON only when it holds something; what the rest of the path finds is such a thing.
      if (more) return void(found_ = read_fields(v, steps_, at_ + 1));
    } else if constexpr (IsOptionalStruct<T>::value) {
      if (more) return void(found_ = v ? read_fields(*v, steps_, at_ + 1) : std::string());
    }
    Json member = Json::object();
    models::Encoder(member).field(key, v, presence);
    found_ = text_of(walk_json(&member, steps_, at_));
  }
  template <class T>
  void field(const char* key, const models::Shared<T>& v, int presence = models::Optional) {
    field(key, *v, presence);
  }
  // As the Encoder treats them.
  void enumerated(const char* key, const std::string& v, std::initializer_list<std::string_view>,
                  int presence = models::Optional) {
    field(key, v, presence == models::Always ? models::Always : models::Optional);
  }
  void enumerated(const char* key, const std::optional<std::string>& v, std::initializer_list<std::string_view>) {
    field(key, v);
  }
  void enumerated(const char* key, const models::Shared<std::string>& v, std::initializer_list<std::string_view>,
                  int presence = models::Optional) {
    field(key, *v, presence == models::Always ? models::Always : models::Optional);
  }
  void opaque(const char* key, const Json& v) { field(key, v); }
  template <class T>
  void not_simulated(const char* key, const T& v) {
    field(key, v);
  }
  void not_simulated(const char* key, const std::string& v, std::initializer_list<std::string_view>) {
    field(key, v);
  }
  void not_modelled(const char*) {}
  void ignore(const char*) {}

  const std::string& found() const { return found_; }

 private:
  const std::vector<Step>& steps_;
  std::size_t at_;
  std::string found_;
};

template <class T>
std::string read_fields(const T& value, const std::vector<Step>& steps, std::size_t at) {
  StepReader reader(steps, at);
  visit_fields(reader, const_cast<T&>(value));  // the reader only reads
  return reader.found();
}

using KindReader = std::optional<std::string> (*)(const models::Object&, const std::vector<Step>&);

template <class Kind>
std::optional<std::string> read_kind(const models::Object& o, const std::vector<Step>& steps) {
  const auto* typed = dynamic_cast<const Kind*>(&o);
  if (!typed) return std::nullopt;
  return read_fields(*typed, steps, 0);
}

// Every modelled kind (models/registry.cpp); one left out is read through to_json.
const std::map<const models::KindInfo*, KindReader>& kind_readers() {
  using namespace models;
  static const std::map<const KindInfo*, KindReader> readers = {
      {&Namespace::kind_info(), &read_kind<Namespace>},
      {&Node::kind_info(), &read_kind<Node>},
      {&Pod::kind_info(), &read_kind<Pod>},
      {&Service::kind_info(), &read_kind<Service>},
      {&Event::kind_info(), &read_kind<Event>},
      {&PersistentVolume::kind_info(), &read_kind<PersistentVolume>},
      {&PersistentVolumeClaim::kind_info(), &read_kind<PersistentVolumeClaim>},
      {&PriorityClass::kind_info(), &read_kind<PriorityClass>},
      {&ReplicaSet::kind_info(), &read_kind<ReplicaSet>},
      {&Deployment::kind_info(), &read_kind<Deployment>},
      {&DaemonSet::kind_info(), &read_kind<DaemonSet>},
      {&StatefulSet::kind_info(), &read_kind<StatefulSet>},
      {&VirtualMachine::kind_info(), &read_kind<VirtualMachine>},
      {&VirtualMachineInstance::kind_info(), &read_kind<VirtualMachineInstance>},
      {&VirtualMachineInstanceMigration::kind_info(), &read_kind<VirtualMachineInstanceMigration>},
      {&VirtualMachineInstanceReplicaSet::kind_info(), &read_kind<VirtualMachineInstanceReplicaSet>},
      {&NetworkAttachmentDefinition::kind_info(), &read_kind<NetworkAttachmentDefinition>},
      {&StorageClass::kind_info(), &read_kind<StorageClass>},
      {&VolumeAttachment::kind_info(), &read_kind<VolumeAttachment>},
      {&SriovNetworkNodePolicy::kind_info(), &read_kind<SriovNetworkNodePolicy>},
      {&SriovNetwork::kind_info(), &read_kind<SriovNetwork>},
      {&DataVolume::kind_info(), &read_kind<DataVolume>},
      {&Endpoints::kind_info(), &read_kind<Endpoints>},
      {&PodDisruptionBudget::kind_info(), &read_kind<PodDisruptionBudget>},
      {&ConfigMap::kind_info(), &read_kind<ConfigMap>},
      {&Secret::kind_info(), &read_kind<Secret>},
      {&ControllerRevision::kind_info(), &read_kind<ControllerRevision>},
      {&VirtualMachineInstancetype::kind_info(), &read_kind<VirtualMachineInstancetype>},
      {&VirtualMachineClusterInstancetype::kind_info(), &read_kind<VirtualMachineClusterInstancetype>},
      {&VirtualMachinePreference::kind_info(), &read_kind<VirtualMachinePreference>},
      {&VirtualMachineClusterPreference::kind_info(), &read_kind<VirtualMachineClusterPreference>},
      {&DataSource::kind_info(), &read_kind<DataSource>},
      {&DataImportCron::kind_info(), &read_kind<DataImportCron>},
      {&Template::kind_info(), &read_kind<Template>},
      {&VolumeSnapshot::kind_info(), &read_kind<VolumeSnapshot>},
      {&VolumeSnapshotClass::kind_info(), &read_kind<VolumeSnapshotClass>},
  };
  return readers;
}

}  // namespace

std::string field_value(const models::Object& o, const std::string& path) {
  const auto steps = parse_path(path);
  if (!steps) return {};
  const auto& readers = kind_readers();
  if (auto it = readers.find(&o.info()); it != readers.end())
    if (auto found = it->second(o, *steps)) return *found;
  const Json j = o.to_json();
  return text_of(walk_json(&j, *steps, 0));
}

std::string field_value_in_json(const models::Json& object, const std::string& path) {
  const auto steps = parse_path(path);
  return steps ? text_of(walk_json(&object, *steps, 0)) : std::string();
}

}  // namespace kvsim::sim::scenario
