#include "models/cdi_sources.hpp"

#include "models/codec/schema.hpp"
#include "models/validation.hpp"

namespace kvsim::models {
namespace {

void validate_data_source(const Object& o, DecodeContext& ctx) {
  const auto& ds = static_cast<const DataSource&>(o);
  validate_metadata(ds.metadata, true, NameRule::Subdomain, ctx);
}

void validate_data_import_cron(const Object& o, DecodeContext& ctx) {
  const auto& c = static_cast<const DataImportCron&>(o);
  validate_metadata(c.metadata, true, NameRule::Subdomain, ctx);
}

}  // namespace

bool DataSource::ready() const {
  const auto* c = find_condition(status.conditions, "Ready");
  return c && c->status == "True";
}

// Short names and scope from the CRDs' kubebuilder markers: DataSource `das`,
// DataImportCron `dic`/`dics`, both namespaced.
const KindInfo& DataSource::kind_info() {
  static const KindInfo info = with_schema<DataSource>({"DataSource", "cdi.kubevirt.io/v1beta1", "datasources",
                                                        {"das"}, true, {}, &decode_kind<DataSource>,
                                                        &validate_data_source, nullptr});
  return info;
}

const KindInfo& DataImportCron::kind_info() {
  static const KindInfo info = with_schema<DataImportCron>(
      {"DataImportCron", "cdi.kubevirt.io/v1beta1", "dataimportcrons", {"dic", "dics"}, true, {},
       &decode_kind<DataImportCron>, &validate_data_import_cron, nullptr});
  return info;
}

}  // namespace kvsim::models
