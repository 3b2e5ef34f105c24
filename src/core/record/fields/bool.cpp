// bool fields (PocketBase's field_bool.go): `required` means the value must be true, so a
// required bool works as an "I agree" checkbox. The cast itself (cast.ToBool) is in common.cpp.
#include "core/record/fields/common.h"

namespace larder::record::fields {

std::optional<FieldError> validate_bool(const schema::Field& f, const Draft& d) {
  const json::Value* v = d.record.get(f.name);
  if (!v || !v->is_bool()) return unsupported_type_error();
  if (f.required && !v->as_bool()) return required_error();
  return std::nullopt;
}

}  // namespace larder::record::fields
