// Status formatting.
#include "dealtrail/status.h"

namespace dealtrail {

std::string Status::ToString() const {
  std::string out = where_;
  if (!field_.empty()) out += (out.empty() ? "" : ":") + field_;
  if (!out.empty()) out += ": ";
  return out + message_;
}

}  // namespace dealtrail
