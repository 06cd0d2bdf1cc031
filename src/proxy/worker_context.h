// Everything one worker thread owns: its current snapshot and the per-worker state that goes with
// it, its upstream pools, its metrics and access-log writer. Touched only on the worker's thread.
#pragma once

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include <memory>
#include <random>

#include "keymanager/server/endpoints.h"
#include "observability/access_log.h"
#include "observability/metrics.h"
#include "proxy/endpoint_selector.h"
#include "proxy/upstream_pool.h"
#include "security/auth/application_directory.h"
#include "snapshot/snapshot.h"

namespace gatehouse::proxy {

class ClientSession;

// A snapshot and a store of applications and subscriptions, together with the worker's state
// derived from them. A request holds the view it started with, so a reload or a change of
// subscriptions in the middle of it changes nothing for it.
struct WorkerView {
  WorkerView(snapshot::SnapshotPtr s, security::SubscriptionsPtr subscriptions,
             absl::flat_hash_map<std::string, std::unique_ptr<EndpointHealth>>& health)
      : snapshot(std::move(s)),
        subscriptions(std::move(subscriptions)),
        selector(*snapshot, health) {}

  snapshot::SnapshotPtr snapshot;
  // Changes without a new snapshot (security/auth/application_directory.h).
  security::SubscriptionsPtr subscriptions;
  EndpointSelector selector;
};

class WorkerContext {
 public:
  WorkerContext(observability::Metrics::Worker& metrics,
                std::unique_ptr<observability::AccessLog::Writer> access_log,
                const keymanager::Endpoints* key_manager = nullptr);

  const std::shared_ptr<WorkerView>& view() const { return view_; }
  void install(snapshot::SnapshotPtr snapshot, security::SubscriptionsPtr subscriptions);
  // A change of applications or subscriptions alone: the snapshot stays.
  void install(security::SubscriptionsPtr subscriptions);

  UpstreamPool& pool() { return pool_; }
  observability::Metrics::Worker& metrics() { return metrics_; }
  observability::AccessLog::Writer* access_log() { return access_log_.get(); }
  // The built-in key manager, which answers its paths before API routing; null: none is served.
  // The process's, outliving every worker.
  const keymanager::Endpoints* key_manager() const { return key_manager_; }

  // Scratch for one body-decoding step (see relay_body); never held across a suspension.
  std::vector<std::string_view>& body_pieces() { return body_pieces_; }

  // Writes a random version-4 UUID into `id`, from a per-worker generator (no lock, no syscall;
  // no allocation when `id` has the room already).
  void new_request_id(std::string& id);

  // Graceful shutdown: no new exchange starts; idle connections are closed now, busy ones after
  // their exchange completes.
  void drain();
  bool draining() const { return draining_; }
  void add_session(ClientSession* session) { sessions_.insert(session); }
  void remove_session(ClientSession* session) { sessions_.erase(session); }
  size_t session_count() const { return sessions_.size(); }

  // Idle keep-alive connections that kept their exchange scratch (ClientSession::serve).
  size_t& idle_sessions_keeping_scratch() { return idle_sessions_keeping_scratch_; }

 private:
  std::shared_ptr<WorkerView> view_;
  absl::flat_hash_map<std::string, std::unique_ptr<EndpointHealth>> endpoint_health_;
  UpstreamPool pool_;
  observability::Metrics::Worker& metrics_;
  std::unique_ptr<observability::AccessLog::Writer> access_log_;
  const keymanager::Endpoints* key_manager_;
  std::mt19937_64 random_;
  absl::flat_hash_set<ClientSession*> sessions_;
  std::vector<std::string_view> body_pieces_;
  size_t idle_sessions_keeping_scratch_ = 0;
  bool draining_ = false;
};

}  // namespace gatehouse::proxy
