// Optional active health checks (endpoints.health_check): one probe loop per endpoint and path,
// on the control thread, shared by every worker through an atomic flag that workers only read.
// A probe is a GET of the configured path on a new connection; 2xx and 3xx within the timeout
// mean healthy. Unhealthy endpoints get no traffic until a probe succeeds again.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <absl/container/flat_hash_map.h>

#include <memory>
#include <string>

#include "config/model.h"
#include "snapshot/probe_registry.h"
#include "snapshot/snapshot.h"

namespace gatehouse::proxy {

class HealthChecker final : public snapshot::ProbeRegistry {
 public:
  explicit HealthChecker(boost::asio::any_io_executor executor);
  ~HealthChecker();

  std::shared_ptr<const snapshot::EndpointProbe> probe(
      const snapshot::Endpoint& endpoint, const snapshot::EndpointGroup& group,
      const config::HealthCheckConfig& check) override;
  // Stops the probes that `snapshot` no longer uses; called once it is in service.
  void retain_only(const snapshot::Snapshot& snapshot);
  void stop_all();

 private:
  struct Loop;
  boost::asio::any_io_executor executor_;
  absl::flat_hash_map<std::string, std::shared_ptr<Loop>> loops_;
};

}  // namespace gatehouse::proxy
